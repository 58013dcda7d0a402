declare module 'vitest' {
  interface ProvidedContext {
    fixturePort: number;
  }
}
export {};
