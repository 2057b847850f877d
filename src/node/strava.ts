/**
 * Strava bulk export: `activities.csv` gives each activity file its name,
 * gear (shoes) and activity type (the sport, for files that do not state it). Headers change across years (`filename` in old exports,
 * `Filename` in new ones) and languages, and some names appear twice (two
 * `Distance` columns), so columns are found by normalised aliases, the first
 * match winning; the file-name column is also recognised by its content
 * (`activities/<id>.<ext>`) when no header matches.
 */
import { parse } from 'csv-parse/sync';
import type { Activity } from '../activity.js';
import type { CadenceUnitOption } from '../parse/cadence.js';
import { applyExportSport } from '../parse/sport.js';

/** Name, gear and activity type of one activity file, from `activities.csv`. */
export interface StravaActivityInfo {
  readonly name?: string;
  readonly gear?: string;
  /** Strava's "Activity Type" as written ("Run", "Ride", "Walk", "Lauf", ...). */
  readonly type?: string;
}

/** Lookup from activity file paths (relative to the export root) to their CSV row. */
export interface StravaIndex {
  /** Keyed by the normalised relative path, e.g. `activities/123.fit.gz`. */
  readonly byPath: ReadonlyMap<string, StravaActivityInfo>;
  /** Keyed by the normalised base name, only for names that occur once. */
  readonly byBaseName: ReadonlyMap<string, StravaActivityInfo>;
}

const FILENAME_ALIASES = ['filename', 'file name', 'dateiname', 'nom du fichier', 'nombre de archivo', 'nombre del archivo', 'nome file', 'nome del file', 'bestandsnaam', 'nome do arquivo', 'nome de arquivo'];
const NAME_ALIASES = ['activity name', 'name', 'aktivitatsname', 'name der aktivitat', "nom de l'activite", 'nom de lactivite', 'nombre de la actividad', "nome dell'attivita", 'naam activiteit', 'activiteitnaam', 'nome da atividade'];
const TYPE_ALIASES = ['activity type', 'type', 'aktivitatstyp', 'aktivitatsart', "type d'activite", 'type dactivite', 'tipo de actividad', "tipo di attivita", 'tipo attivita', 'activiteitstype', 'type activiteit', 'tipo de atividade', 'aktivitetstyp'];
const GEAR_ALIASES = ['activity gear', 'gear', 'aktivitatsausrustung', 'ausrustung', "equipement de l'activite", 'equipement', 'equipo de la actividad', 'equipo', "attrezzatura dell'attivita", 'attrezzatura', 'uitrusting activiteit', 'uitrusting', 'equipamento da atividade', 'equipamento'];

/** Lower case, accents stripped, spaces collapsed, typographic apostrophes unified. */
function normaliseHeader(h: string): string {
  return h
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019`´]/g, "'")
    .toLowerCase()
    .replace(/[_\s]+/g, ' ')
    .trim();
}

/**
 * Normalises a relative file path for joining: `/` separators, no leading `./` or `/`, lower case.
 *
 * @example normaliseJoinPath('./Activities\\1.GPX') // 'activities/1.gpx'
 */
export function normaliseJoinPath(p: string): string {
  return p.replace(/\\/g, '/').replace(/^(\.\/|\/)+/, '').trim().toLowerCase();
}

function findColumn(headers: readonly string[], aliases: readonly string[]): number {
  for (const alias of aliases) {
    const i = headers.indexOf(alias);
    if (i >= 0) return i;
  }
  return -1;
}

const FILE_CELL = /^(?:[^/]+\/)*[^/]+\.(?:fit|gpx|tcx)(?:\.gz)?$/i;

/**
 * Reads a Strava `activities.csv` into a lookup by file name. Rows without a
 * file name (manual entries) are left out.
 *
 * @throws {Error} from csv-parse when the text is not CSV (the caller turns it into a `LoadedFile` error).
 * @example
 * const index = parseStravaCsv('Activity ID,Activity Name,Activity Gear,Filename\n1,Lunch Run,Pegasus 40,activities/1.fit.gz\n');
 * index.byPath.get('activities/1.fit.gz') // { name: 'Lunch Run', gear: 'Pegasus 40' }
 */
export function parseStravaCsv(text: string): StravaIndex {
  const rows = parse(text, {
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
  }) as string[][];
  const byPath = new Map<string, StravaActivityInfo>();
  const baseCounts = new Map<string, number>();
  const byBase = new Map<string, StravaActivityInfo>();
  const header = rows[0];
  if (header === undefined) return { byPath, byBaseName: byBase };
  const headers = header.map(normaliseHeader);
  let fileCol = findColumn(headers, FILENAME_ALIASES);
  if (fileCol < 0) {
    // a language we do not know: the column whose cells look like activities/<id>.<ext>
    const sample = rows.slice(1, 50);
    fileCol = headers.findIndex((_, c) => sample.some((r) => FILE_CELL.test((r[c] ?? '').trim())));
  }
  if (fileCol < 0) return { byPath, byBaseName: byBase };
  const nameCol = findColumn(headers, NAME_ALIASES);
  const gearCol = findColumn(headers, GEAR_ALIASES);
  const typeCol = findColumn(headers, TYPE_ALIASES);
  for (const row of rows.slice(1)) {
    const file = (row[fileCol] ?? '').trim();
    if (file === '') continue;
    const name = nameCol >= 0 ? (row[nameCol] ?? '').trim() : '';
    const gear = gearCol >= 0 ? (row[gearCol] ?? '').trim() : '';
    const type = typeCol >= 0 ? (row[typeCol] ?? '').trim() : '';
    const info: StravaActivityInfo = { ...(name !== '' ? { name } : {}), ...(gear !== '' ? { gear } : {}), ...(type !== '' ? { type } : {}) };
    const key = normaliseJoinPath(file);
    byPath.set(key, info);
    const base = key.slice(key.lastIndexOf('/') + 1);
    baseCounts.set(base, (baseCounts.get(base) ?? 0) + 1);
    byBase.set(base, info);
  }
  for (const [base, n] of baseCounts) if (n > 1) byBase.delete(base);
  return { byPath, byBaseName: byBase };
}

/**
 * Finds the CSV row of a file given by its path relative to the export root
 * (the folder or archive level that holds `activities.csv`); falls back to the
 * base name when it is unique in the CSV.
 *
 * @example lookupStrava(index, 'activities/1.fit.gz')?.gear // 'Pegasus 40'
 */
export function lookupStrava(index: StravaIndex, relativePath: string): StravaActivityInfo | undefined {
  const key = normaliseJoinPath(relativePath);
  const hit = index.byPath.get(key);
  if (hit !== undefined) return hit;
  return index.byBaseName.get(key.slice(key.lastIndexOf('/') + 1));
}

/**
 * Returns new activities with the CSV's name and gear set (the CSV name wins
 * over the file's own, since it is the title as last edited on Strava), and
 * the sport from the CSV's activity type, or else its name, where the file
 * itself states none (see `applyExportSport`: the cadence unit is decided
 * again for the new sport). The input activities are not modified.
 *
 * @example const named = applyStravaInfo(activities, { name: 'Lunch Run', gear: 'Pegasus 40', type: 'Run' });
 */
export function applyStravaInfo(
  activities: readonly Activity[],
  info: StravaActivityInfo | undefined,
  cadenceUnit: CadenceUnitOption = 'auto',
): Activity[] {
  if (info === undefined || (info.name === undefined && info.gear === undefined && info.type === undefined)) return [...activities];
  return activities.map((a) => {
    const named: Activity = {
      ...a,
      ...(info.name !== undefined ? { name: info.name } : {}),
      ...(info.gear !== undefined ? { gear: info.gear } : {}),
    };
    return applyExportSport(
      named,
      { ...(info.type !== undefined ? { type: info.type } : {}), ...(info.name !== undefined ? { name: info.name } : {}) },
      cadenceUnit,
    );
  });
}
