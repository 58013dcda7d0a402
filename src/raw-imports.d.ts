// Vite's `?raw` suffix imports a file's text; tests use it to load recorded provider pages.
declare module '*?raw' {
  const text: string;
  export default text;
}
