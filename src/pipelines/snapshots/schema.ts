/**
 * The HoopScout snapshot schema (seed 002, "Snapshot JSON Schema (MVP)") as data: every file and record field, its
 * kind, whether it may be null, and the bounds a scout would expect. The validator (validate.ts) walks this table,
 * so the README's schema table and the checks cannot drift apart.
 *
 * Nullability: every record field must be PRESENT (the seed: "required fields must exist"); a field the source does
 * not know is written as null, never left out and never guessed. Identity and context fields (competition, season,
 * team id, player id and name, games played) may not be null: without them a stat line has no PlayerSeason context.
 * Only `source_metadata` and `raw_payload` may be left out (at file and record level), as in the seed example.
 */

export type FieldKind = 'string' | 'source_name' | 'date' | 'season' | 'nationality' | 'integer' | 'number' | 'pct' | 'object' | 'json';

export interface FieldSpec {
  kind: FieldKind;
  /** May be null (the key must still be present unless `optional`). */
  nullable: boolean;
  /** May be left out entirely. */
  optional?: boolean;
  min?: number;
  max?: number;
}

const str = (nullable: boolean): FieldSpec => ({ kind: 'string', nullable });
const perGame = (max: number): FieldSpec => ({ kind: 'number', nullable: true, min: 0, max });
const pct: FieldSpec = { kind: 'pct', nullable: true, min: 0, max: 100 };
const meta: FieldSpec = { kind: 'object', nullable: false, optional: true };
const raw: FieldSpec = { kind: 'json', nullable: false, optional: true };

export const FILE_FIELDS: Record<string, FieldSpec> = {
  source_name: { kind: 'source_name', nullable: false },
  snapshot_date: { kind: 'date', nullable: false },
  records: { kind: 'json', nullable: false },
  source_metadata: meta,
  raw_payload: raw,
};

export const RECORD_FIELDS: Record<string, FieldSpec> = {
  competition_external_id: str(false),
  competition_name: str(false),
  season: { kind: 'season', nullable: false },
  team_external_id: str(false),
  team_name: str(true),
  player_external_id: str(false),
  full_name: str(false),
  first_name: str(true),
  last_name: str(true),
  birth_date: { kind: 'date', nullable: true },
  nationality: { kind: 'nationality', nullable: true },
  height_cm: { kind: 'number', nullable: true, min: 100, max: 260 },
  weight_kg: { kind: 'number', nullable: true, min: 30, max: 250 },
  position: str(true),
  role: str(true),
  games_played: { kind: 'integer', nullable: false, min: 0, max: 200 },
  minutes_per_game: perGame(70),
  points_per_game: perGame(100),
  rebounds_per_game: perGame(50),
  assists_per_game: perGame(50),
  steals_per_game: perGame(20),
  blocks_per_game: perGame(20),
  turnovers_per_game: perGame(20),
  fg_pct: pct,
  three_pt_pct: pct,
  ft_pct: pct,
  source_metadata: meta,
  raw_payload: raw,
};

export const RECORD_FIELD_NAMES = Object.keys(RECORD_FIELDS);

export interface SnapshotRecord {
  competition_external_id: string;
  competition_name: string;
  season: string;
  team_external_id: string;
  team_name: string | null;
  player_external_id: string;
  full_name: string;
  first_name: string | null;
  last_name: string | null;
  birth_date: string | null;
  nationality: string | null;
  height_cm: number | null;
  weight_kg: number | null;
  position: string | null;
  role: string | null;
  games_played: number;
  minutes_per_game: number | null;
  points_per_game: number | null;
  rebounds_per_game: number | null;
  assists_per_game: number | null;
  steals_per_game: number | null;
  blocks_per_game: number | null;
  turnovers_per_game: number | null;
  fg_pct: number | null;
  three_pt_pct: number | null;
  ft_pct: number | null;
  source_metadata?: Record<string, unknown>;
  raw_payload?: unknown;
}

export interface SnapshotDoc {
  source_name: string;
  snapshot_date: string;
  records: SnapshotRecord[];
  source_metadata?: Record<string, unknown>;
  raw_payload?: unknown;
}

/** Default size limit of one snapshot file (SNAPSHOT_MAX_BYTES overrides it at the edges). */
export const DEFAULT_MAX_SNAPSHOT_BYTES = 16 * 1024 * 1024;
