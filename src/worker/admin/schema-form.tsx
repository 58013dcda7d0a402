/** @jsxImportSource hono/jsx */
/**
 * A run form generated from a pipeline's params JSON Schema (the same schema GET /pipelines publishes), and the
 * reverse: form fields back to typed params. Validation stays the runtime's (validateParams); this only converts.
 */
import { z } from 'zod';
import type { AnyPipeline } from '../../core/pipeline';

interface Prop {
  type?: string | string[];
  enum?: unknown[];
  description?: string;
  default?: unknown;
  pattern?: string;
  minimum?: number;
  maximum?: number;
}
interface ObjSchema {
  properties?: Record<string, Prop>;
  required?: string[];
}

export function paramsSchema(p: AnyPipeline): ObjSchema {
  return z.toJSONSchema(p.paramsSchema, { io: 'input', unrepresentable: 'any' }) as ObjSchema;
}

const typeOf = (prop: Prop) => (Array.isArray(prop.type) ? prop.type.find((t) => t !== 'null') : prop.type) ?? 'string';

export function ParamFields(p: { pipeline: AnyPipeline; values?: Record<string, string> }) {
  const schema = paramsSchema(p.pipeline);
  const props = Object.entries(schema.properties ?? {});
  if (props.length === 0) return <p class="hint">No params.</p>;
  return (
    <div class="fields">
      {props.map(([name, prop]) => {
        const required = (schema.required ?? []).includes(name);
        const id = `${p.pipeline.name}-${name}`;
        const t = typeOf(prop);
        const value = p.values?.[name] ?? (prop.default !== undefined && t !== 'boolean' ? String(prop.default) : undefined);
        let input;
        if (prop.enum) {
          input = (
            <select id={id} name={`p.${name}`}>
              {!required && <option value="">(default)</option>}
              {prop.enum.map((v) => (
                <option value={String(v)} selected={value === String(v)}>
                  {String(v)}
                </option>
              ))}
            </select>
          );
        } else if (t === 'boolean') {
          input = <input type="checkbox" id={id} name={`p.${name}`} value="true" checked={prop.default === true} />;
        } else {
          input = (
            <input
              id={id}
              name={`p.${name}`}
              type={t === 'integer' || t === 'number' ? 'number' : 'text'}
              required={required}
              value={value}
              pattern={prop.pattern}
              min={prop.minimum}
              max={prop.maximum}
            />
          );
        }
        return (
          <label for={id}>
            <span>
              {name}
              {required ? ' *' : ''}
            </span>
            {input}
            {prop.description && <small>{prop.description}</small>}
          </label>
        );
      })}
    </div>
  );
}

/** `p.<name>` form fields to params typed by the schema; empty optional fields are left out (the schema's default applies). */
export function formToParams(pipeline: AnyPipeline, form: Record<string, string>): Record<string, unknown> {
  const props = paramsSchema(pipeline).properties ?? {};
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(form)) {
    if (!key.startsWith('p.')) continue;
    const name = key.slice(2);
    const prop = props[name];
    if (raw === '') continue;
    const t = prop ? typeOf(prop) : 'string';
    if (t === 'integer' || t === 'number') out[name] = /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
    else if (t === 'boolean') out[name] = raw === 'true' || raw === 'on';
    else out[name] = raw;
  }
  return out;
}
