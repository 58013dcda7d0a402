/**
 * The "provider pushing back" predicate, written once: the partial index of both schemas is defined by it and the
 * overview's query repeats it to the letter (SQLite uses a partial index only when the query states its WHERE).
 */
import { sql } from 'drizzle-orm';
import { PRESSURE_CODES } from '../../core/console-reads';

export const pressureCodesSql = () => sql.raw(`last_error_code IN (${PRESSURE_CODES.map((c) => `'${c}'`).join(', ')})`);
