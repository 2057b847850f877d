/**
 * `loadActivities`: files, folders, gzip files and zip exports (Garmin,
 * Strava) into activities, one {@link LoadedFile} per file found, in a
 * deterministic order, with bounded memory and one failure never stopping the batch.
 */
import { type Dirent, promises as fsp } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { Activity } from '../activity.js';
import { type ErrorCode, isStridewiseError, StridewiseError } from '../errors.js';
import type { CadenceUnitOption } from '../parse/cadence.js';
import { parseActivities, type ParseOptions } from '../parse/index.js';
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from '../parse/limits.js';
import { type ArchivePlan, type LoadItem, planArchive, readArchive } from './archive.js';
import { type ArchiveLimits, DEFAULT_ARCHIVE_LIMITS } from './limits.js';
import { hasZipMagic, isHiddenPath, isSkippedName } from './names.js';
import { type ProgressCallback, ProgressCounter } from './progress.js';
import { openRegularFile, readRegularFile, type RegularFileProblem } from './regular-file.js';
import { applyExportMetadata, type ExportMetadata } from './garmin.js';
import { applyStravaInfo, lookupStrava, parseStravaCsv, type StravaActivityInfo, type StravaIndex } from './strava.js';

export { type ArchiveLimits, DEFAULT_ARCHIVE_LIMITS } from './limits.js';
export type { ProgressCallback } from './progress.js';

/** One file's outcome: its activities, or why there are none. */
export interface LoadedFile {
  /**
   * Where the file was found: a file path as given (joined with the path
   * inside a folder), or an archive path such as `export.zip!activities/123.fit.gz`
   * (nested: `export.zip!DI_CONNECT/.../UploadedFiles_0.zip!123_ACTIVITY.fit`).
   */
  readonly path: string;
  /** The file's activities (empty when `error` is set). */
  readonly activities: Activity[];
  /**
   * Why the file gave no activities. `code` is an {@link ErrorCode}: e.g.
   * `NOT_AN_ACTIVITY` (a FIT monitoring or settings file), `UNKNOWN_FORMAT`,
   * `CORRUPT_FILE`, `FILE_NOT_FOUND`, `FILE_UNREADABLE`, `ZIP_CORRUPT`,
   * `ZIP_ENCRYPTED`, `ZIP_BOMB`, `ZIP_TOO_DEEP`, `ZIP_UNSUPPORTED`.
   */
  readonly error?: { readonly code: ErrorCode; readonly message: string };
}

/** What the export says about a file, for a parse stand-in (undefined when nothing). */
function metadataOf(item: Extract<LoadItem, { kind: 'file' }>): ExportMetadata | undefined {
  const { info, garmin } = item;
  if (info?.type === undefined && info?.name === undefined && garmin === undefined) return undefined;
  return {
    ...(info?.type !== undefined ? { type: info.type } : {}),
    ...(info?.name !== undefined ? { name: info.name } : {}),
    ...(garmin !== undefined ? { garmin } : {}),
  };
}

/**
 * Parses one file's bytes; the default is {@link parseActivities}. A worker
 * pool can stand in for it. `meta`, when given, is what the export says about
 * the file (Strava's type and name, Garmin's types by start time): the loader
 * applies it to the activities returned, and a stand-in that summarises may
 * apply it before summarising (`applyExportMetadata`).
 */
export type ParseFunction = (input: Uint8Array, options: ParseOptions, meta?: ExportMetadata) => Promise<Activity[]>;

/** Options of {@link readActivityFile}. */
export interface ReadOptions {
  /** Cadence unit of the files. Default `'auto'` (detected per activity, card C0). */
  readonly cadenceUnit?: CadenceUnitOption;
  /** Parser input limits; unspecified fields keep {@link DEFAULT_PARSE_LIMITS}. */
  readonly limits?: Partial<ParseLimits>;
  /** Replaces the parser (e.g. by one that runs in worker threads). Default {@link parseActivities}. */
  readonly parse?: ParseFunction;
}

/** Options of {@link loadActivities}. */
export interface LoadOptions extends ReadOptions {
  /**
   * Called after each file with the number of files processed and, when
   * known, the number the call will process (`undefined` while a zip inside a
   * zip has not been read to its end). Called once with `done = 0` before the
   * first file and once more at the end if the last call did not show the
   * final total. `done` never decreases; at the end `done === total`.
   */
  readonly onProgress?: ProgressCallback;
  /**
   * Archive safety limits; unspecified fields keep {@link DEFAULT_ARCHIVE_LIMITS}.
   * Code `INVALID_OPTION` when a value is not a positive number (`maxZipDepth`: a whole number).
   */
  readonly archiveLimits?: Partial<ArchiveLimits>;
  /**
   * Leave out files that are valid but hold no activity (error code
   * `NOT_AN_ACTIVITY`: the wellness and monitoring FIT files of a Garmin
   * export). They still count in progress. Default `false`: every file found
   * gives a {@link LoadedFile}.
   */
  readonly skipNonActivities?: boolean;
  /**
   * Follow symbolic links that lead out of the given folders. Default
   * `false`: a link found in a folder is followed only when its target lies
   * inside one of the folders given; a link out of them (into `/proc`, a
   * home folder, a device) gives a `FILE_UNREADABLE` outcome and is not read.
   * Paths given directly are always read, links or not.
   */
  readonly followLinks?: boolean;
  /** Stops loading: the iteration throws the signal's reason before the next file. */
  readonly signal?: AbortSignal;
  /**
   * Most files being parsed at once. Above 1 the next files are read while
   * earlier ones are parsed (worth it when `parse` runs in worker threads);
   * results still come out in order, and at most this many files' bytes are
   * held at once. Default 1. Code `INVALID_OPTION` when not a whole number ≥ 1.
   */
  readonly concurrency?: number;
}

type StravaRef = { readonly csvPath: string; readonly csvLabel: string; readonly relativePath: string; readonly refused?: string };

type Unit =
  | { readonly kind: 'file'; readonly path: string; readonly label: string; readonly strava?: StravaRef }
  | { readonly kind: 'zip'; readonly path: string; readonly label: string; readonly plan: ArchivePlan }
  | { readonly kind: 'error'; readonly label: string; readonly code: ErrorCode; readonly message: string };

type CsvContext = { readonly csvPath: string; readonly csvLabel: string; readonly rootAbs: string; readonly refused?: string };

function fsCode(error: unknown): ErrorCode {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE';
}

function fsMessage(error: unknown, label: string): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return `no such file or folder: ${label}`;
  if (code === 'EACCES' || code === 'EPERM') return `permission denied: ${label}`;
  return `cannot read ${label}: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * Why a path that is neither a folder nor a regular file is not read: a
 * character device such as /dev/zero never ends (reading it filled memory),
 * and opening a named pipe blocks until a writer comes (reading hung).
 */
function notRegularMessage(label: string): string {
  return `${label} is not a regular file (a device, pipe or socket) and is not read`;
}

/** Plain code-unit order: the same on every machine and locale. */
function byName(a: Dirent, b: Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function toSlash(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await fsp.stat(p)).isFile();
  } catch {
    return false;
  }
}

/** `…/x/activities` beside `…/x/activities.csv`: a Strava export entered at its activities folder. */
async function parentCsv(dirAbs: string, dirLabel: string): Promise<CsvContext | undefined> {
  if (basename(dirAbs).toLowerCase() !== 'activities') return undefined;
  const root = dirname(dirAbs);
  const csv = join(root, 'activities.csv');
  if (!(await isFile(csv))) return undefined;
  return { csvPath: csv, csvLabel: join(dirname(dirLabel), 'activities.csv'), rootAbs: root };
}

/** The first 4 bytes of a regular file; the problem when the open handle is not one (a file swapped since it was listed). */
async function readMagic(p: string): Promise<Uint8Array | RegularFileProblem> {
  const got = await openRegularFile(p);
  if (!('fh' in got)) return got;
  const fh = got.fh;
  try {
    const buf = new Uint8Array(4);
    const { bytesRead } = await fh.read(buf, 0, 4, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function linkOutMessage(label: string, target: string): string {
  return `${label} is a symbolic link out of the given folders (to ${target}); it is not followed (--follow-links / followLinks: true to follow it)`;
}

class Planner {
  readonly units: Unit[] = [];
  private readonly seenFiles = new Set<string>();
  private readonly seenDirs = new Set<string>();
  /** Real paths of the folders given: links in a walk may lead only inside them (unless links are followed). */
  private readonly roots: string[] = [];
  constructor(
    private readonly archiveLimits: ArchiveLimits,
    private readonly followLinks: boolean,
  ) {}

  /** Notes the real paths of the folders among the inputs, before any is walked (a link from one given folder into another is inside). */
  async addRoots(inputs: readonly string[]): Promise<void> {
    for (const input of inputs) {
      try {
        const real = await fsp.realpath(resolve(input));
        if ((await fsp.stat(real)).isDirectory()) this.roots.push(real);
      } catch {
        // reported when the input is added
      }
    }
  }

  /** The real path of a link's target when it lies inside a given folder (or links are followed); otherwise `undefined`. */
  private async linkTargetInside(p: string): Promise<{ inside: boolean; target: string }> {
    const target = await fsp.realpath(p);
    if (this.followLinks) return { inside: true, target };
    const inside = this.roots.some((r) => target === r || target.startsWith(r.endsWith(sep) ? r : r + sep));
    return { inside, target };
  }

  async addInput(input: string): Promise<void> {
    const abs = resolve(input);
    let st;
    try {
      st = await fsp.stat(abs);
    } catch (error) {
      this.units.push({ kind: 'error', label: input, code: fsCode(error), message: fsMessage(error, input) });
      return;
    }
    if (st.isDirectory()) {
      await this.addDir(abs, input, await parentCsv(abs, input));
    } else if (!st.isFile()) {
      this.units.push({ kind: 'error', label: input, code: 'FILE_UNREADABLE', message: notRegularMessage(input) });
    } else {
      const csv = await parentCsv(dirname(abs), dirname(input));
      await this.addFile(abs, input, csv);
    }
  }

  private async addDir(abs: string, label: string, inherited: CsvContext | undefined): Promise<void> {
    let key: string;
    try {
      const st = await fsp.stat(abs);
      key = `${st.dev}:${st.ino}`;
    } catch (error) {
      this.units.push({ kind: 'error', label, code: fsCode(error), message: fsMessage(error, label) });
      return;
    }
    if (this.seenDirs.has(key)) return; // symlink loop or the same folder given twice
    this.seenDirs.add(key);
    let children: Dirent[];
    try {
      children = await fsp.readdir(abs, { withFileTypes: true });
    } catch (error) {
      this.units.push({ kind: 'error', label, code: fsCode(error), message: fsMessage(error, label) });
      return;
    }
    children.sort(byName);
    let csv = inherited;
    const csvChild = children.find((c) => c.name.toLowerCase() === 'activities.csv' && (c.isFile() || c.isSymbolicLink()));
    if (csvChild !== undefined) {
      csv = { csvPath: join(abs, csvChild.name), csvLabel: join(label, csvChild.name), rootAbs: abs };
      if (csvChild.isSymbolicLink()) {
        try {
          const { inside, target } = await this.linkTargetInside(csv.csvPath);
          if (!inside) csv = { ...csv, refused: `${linkOutMessage(csv.csvLabel, target)}; names and gear are not joined` };
        } catch {
          // a dangling link: reported when the CSV is read
        }
      }
    }
    for (const child of children) {
      if (isHiddenPath(child.name)) continue;
      const childAbs = join(abs, child.name);
      const childLabel = join(label, child.name);
      let isDir = child.isDirectory();
      if (child.isSymbolicLink()) {
        try {
          const { inside, target: real } = await this.linkTargetInside(childAbs);
          if (!inside) {
            if (!isSkippedName(child.name)) this.units.push({ kind: 'error', label: childLabel, code: 'FILE_UNREADABLE', message: linkOutMessage(childLabel, real) });
            continue;
          }
          const target = await fsp.stat(childAbs);
          isDir = target.isDirectory();
          if (!isDir && !target.isFile()) {
            if (!isSkippedName(child.name)) this.units.push({ kind: 'error', label: childLabel, code: 'FILE_UNREADABLE', message: notRegularMessage(childLabel) });
            continue;
          }
        } catch (error) {
          this.units.push({ kind: 'error', label: childLabel, code: fsCode(error), message: fsMessage(error, childLabel) });
          continue;
        }
      }
      if (isDir) await this.addDir(childAbs, childLabel, csv);
      else if ((child.isFile() || child.isSymbolicLink()) && !isSkippedName(child.name)) await this.addFile(childAbs, childLabel, csv);
      else if ((child.isFIFO() || child.isCharacterDevice() || child.isBlockDevice() || child.isSocket()) && !isSkippedName(child.name)) {
        this.units.push({ kind: 'error', label: childLabel, code: 'FILE_UNREADABLE', message: notRegularMessage(childLabel) });
      }
    }
  }

  private async addFile(abs: string, label: string, csv: CsvContext | undefined): Promise<void> {
    if (this.seenFiles.has(abs)) return;
    this.seenFiles.add(abs);
    let magic: Uint8Array | RegularFileProblem;
    try {
      magic = await readMagic(abs);
    } catch (error) {
      this.units.push({ kind: 'error', label, code: fsCode(error), message: fsMessage(error, label) });
      return;
    }
    if (!(magic instanceof Uint8Array)) {
      this.units.push({ kind: 'error', label, code: 'FILE_UNREADABLE', message: notRegularMessage(label) });
      return;
    }
    if (hasZipMagic(magic)) {
      this.units.push({ kind: 'zip', path: abs, label, plan: await planArchive(abs, this.archiveLimits) });
      return;
    }
    const strava: StravaRef | undefined =
      csv !== undefined
        ? {
            csvPath: csv.csvPath,
            csvLabel: csv.csvLabel,
            relativePath: toSlash(relative(csv.rootAbs, abs)),
            ...(csv.refused !== undefined ? { refused: csv.refused } : {}),
          }
        : undefined;
    this.units.push({ kind: 'file', path: abs, label, ...(strava !== undefined ? { strava } : {}) });
  }
}

function toLoadedError(path: string, error: unknown): LoadedFile {
  if (isStridewiseError(error)) return { path, activities: [], error: { code: error.code, message: error.message } };
  const message = error instanceof Error ? error.message : String(error);
  return { path, activities: [], error: { code: 'INTERNAL', message: `unexpected failure reading ${path}: ${message}` } };
}

/**
 * Loads activities from files, folders and archives, yielding one
 * {@link LoadedFile} per file found.
 *
 * - Files: FIT, GPX, TCX, and gzip of those (`.fit.gz`); the format is
 *   recognised from the content, never from the name.
 * - Folders: read recursively in code-point order of names (the same on every
 *   machine); hidden files and folders, `__MACOSX`, and documents/pictures
 *   (`.csv`, `.json`, `.txt`, `.md`, `.png`, `.jpg`, ...) are skipped unread.
 * - Zip archives (recognised by content): entries in archive order, zips inside
 *   zips (a Garmin export's `UploadedFiles_*.zip`) read as streams down to
 *   `archiveLimits.maxZipDepth`; paths read `export.zip!activities/1.fit.gz`.
 *   Nothing is written to disk; an archive is never read into memory whole.
 * - Strava exports: `activities.csv` (in a folder, in a zip, or beside an
 *   `activities/` folder given directly) names each activity and its gear.
 *
 * Inputs are processed in the order given (each file once). A file that fails
 * gives a `LoadedFile` with `error` and the batch goes on; the iteration itself
 * throws only when `signal` aborts.
 *
 * @example
 * import { loadActivities } from 'stridewise/node';
 * for await (const file of loadActivities(['export.zip', 'runs/'], { onProgress: (d, t) => console.log(d, t) })) {
 *   if (file.error) console.warn(file.path, file.error.code);
 *   else for (const run of file.activities) console.log(run.name, run.gear, run.samples.length);
 * }
 */
export async function* loadActivities(paths: string | readonly string[], options: LoadOptions = {}): AsyncGenerator<LoadedFile> {
  const inputs = typeof paths === 'string' ? [paths] : [...paths];
  const archiveLimits: ArchiveLimits = { ...DEFAULT_ARCHIVE_LIMITS, ...options.archiveLimits };
  const parseLimits: ParseLimits = { ...DEFAULT_PARSE_LIMITS, ...options.limits };
  const parse = options.parse ?? parseActivities;
  const signal = options.signal;
  const progress = new ProgressCounter(options.onProgress);
  const skipNonActivities = options.skipNonActivities ?? false;
  for (const [key, value] of Object.entries(archiveLimits)) {
    if (typeof value !== 'number' || !(value > 0) || (key === 'maxZipDepth' && !Number.isInteger(value))) {
      throw new StridewiseError('INVALID_OPTION', `archiveLimits.${key} must be a positive number, got ${String(value)}`);
    }
  }
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new StridewiseError('INVALID_OPTION', `concurrency must be a whole number of at least 1, got ${String(options.concurrency)}`);
  }

  signal?.throwIfAborted();
  const planner = new Planner(archiveLimits, options.followLinks ?? false);
  await planner.addRoots(inputs);
  for (const input of inputs) await planner.addInput(input);
  for (const u of planner.units) {
    if (u.kind === 'zip') {
      progress.expect(u.plan.files);
      for (let i = 0; i < u.plan.containers; i++) progress.openContainer();
    } else progress.expect(1);
  }
  progress.report();

  const parseOptions = (fileName: string): ParseOptions => ({
    fileName,
    limits: parseLimits,
    ...(options.cadenceUnit !== undefined ? { cadenceUnit: options.cadenceUnit } : {}),
  });

  // one item into its LoadedFile; never rejects
  const settle = async (item: LoadItem): Promise<LoadedFile> => {
    if (item.kind === 'error') return { path: item.path, activities: [], error: { code: item.code, message: item.message } };
    try {
      const activities = await parse(item.bytes, parseOptions(item.path), metadataOf(item));
      const named = applyStravaInfo(activities, item.info, options.cadenceUnit);
      return { path: item.path, activities: item.garmin !== undefined ? applyExportMetadata(named, { garmin: item.garmin }, options.cadenceUnit) : named };
    } catch (e) {
      return toLoadedError(item.path, e);
    }
  };

  // parses run ahead of the consumer up to `concurrency`, results come out in input order
  const inFlight: Promise<LoadedFile>[] = [];
  const take = async (): Promise<LoadedFile | undefined> => {
    const result = await inFlight.shift()!;
    progress.step();
    return skipNonActivities && result.error?.code === 'NOT_AN_ACTIVITY' ? undefined : result;
  };
  for await (const item of readItems(planner.units, archiveLimits, parseLimits, progress, signal)) {
    inFlight.push(settle(item));
    if (inFlight.length >= concurrency) {
      const r = await take();
      signal?.throwIfAborted();
      if (r !== undefined) yield r;
    }
  }
  while (inFlight.length > 0) {
    const r = await take();
    signal?.throwIfAborted();
    if (r !== undefined) yield r;
  }
  progress.report();
}

/** Every file of the plan as an item (bytes or error), in order; one file's bytes at a time. */
async function* readItems(
  units: readonly Unit[],
  archiveLimits: ArchiveLimits,
  parseLimits: ParseLimits,
  progress: ProgressCounter,
  signal: AbortSignal | undefined,
): AsyncGenerator<LoadItem> {
  const csvCache = new Map<string, StravaIndex | undefined>();
  for (const unit of units) {
    signal?.throwIfAborted();
    if (unit.kind === 'error') {
      yield { kind: 'error', path: unit.label, code: unit.code, message: unit.message };
      continue;
    }
    if (unit.kind === 'zip') {
      yield* readArchive(unit.path, unit.label, { limits: archiveLimits, progress, signal }, unit.plan);
      continue;
    }
    // a plain file
    let info: StravaActivityInfo | undefined;
    if (unit.strava !== undefined) {
      if (!csvCache.has(unit.strava.csvPath)) {
        const got =
          unit.strava.refused !== undefined
            ? { path: unit.strava.csvLabel, code: 'FILE_UNREADABLE' as const, message: unit.strava.refused }
            : await readStravaCsv(unit.strava.csvPath, unit.strava.csvLabel, archiveLimits.maxCsvBytes);
        if ('byPath' in got) csvCache.set(unit.strava.csvPath, got);
        else {
          csvCache.set(unit.strava.csvPath, undefined);
          progress.expect(1);
          yield { kind: 'error', ...got };
        }
      }
      const index = csvCache.get(unit.strava.csvPath);
      if (index !== undefined) info = lookupStrava(index, unit.strava.relativePath);
    }
    try {
      // opened and checked on the handle: a file swapped for a device or pipe since it was listed is refused
      const got = await readRegularFile(unit.path, parseLimits.maxInputBytes);
      if (!(got instanceof Uint8Array)) {
        yield got.problem === 'too-large'
          ? {
              kind: 'error',
              path: unit.label,
              code: 'FILE_TOO_LARGE',
              message: `the file is ${got.sizeBytes} bytes, over the limit of ${parseLimits.maxInputBytes} bytes (${unit.label})`,
            }
          : { kind: 'error', path: unit.label, code: 'FILE_UNREADABLE', message: notRegularMessage(unit.label) };
        continue;
      }
      yield { kind: 'file', path: unit.label, bytes: got, ...(info !== undefined ? { info } : {}) };
    } catch (error) {
      yield { kind: 'error', path: unit.label, code: fsCode(error), message: fsMessage(error, unit.label) };
    }
  }
}

async function readStravaCsv(path: string, label: string, maxBytes: number): Promise<StravaIndex | { path: string; code: ErrorCode; message: string }> {
  try {
    const got = await readRegularFile(path, maxBytes);
    if (!(got instanceof Uint8Array)) {
      return got.problem === 'too-large'
        ? { path: label, code: 'FILE_TOO_LARGE', message: `activities.csv is ${got.sizeBytes} bytes, over the limit of ${maxBytes}; names and gear are not joined` }
        : { path: label, code: 'FILE_UNREADABLE', message: `${notRegularMessage(label)}; names and gear are not joined` };
    }
    return parseStravaCsv(new TextDecoder('utf-8').decode(got));
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && code.startsWith('E')) return { path: label, code: fsCode(error), message: fsMessage(error, label) };
    const message = error instanceof Error ? error.message : String(error);
    return { path: label, code: 'CORRUPT_FILE', message: `activities.csv cannot be read (${message}); names and gear are not joined` };
  }
}

/**
 * Reads one activity file (FIT, GPX, TCX, or gzip of those) from disk.
 * For folders and zip archives use {@link loadActivities}.
 *
 * @throws {StridewiseError} `FILE_NOT_FOUND`, `FILE_UNREADABLE` (also for a folder),
 * `FILE_TOO_LARGE`, or any {@link ParseError} code of {@link parseActivities}
 * (`ARCHIVE_NOT_SUPPORTED_HERE` for a zip).
 * @example
 * const [run] = await readActivityFile('morning-run.fit');
 * console.log(run.sport, run.cadence.detected);
 */
export async function readActivityFile(path: string, options: ReadOptions = {}): Promise<Activity[]> {
  const limits: ParseLimits = { ...DEFAULT_PARSE_LIMITS, ...options.limits };
  let bytes: Uint8Array;
  try {
    const st = await fsp.stat(path);
    if (st.isDirectory()) throw new StridewiseError('FILE_UNREADABLE', `${path} is a folder; read folders with loadActivities`);
    if (!st.isFile()) throw new StridewiseError('FILE_UNREADABLE', notRegularMessage(path));
    if (st.size > limits.maxInputBytes) {
      throw new StridewiseError('FILE_TOO_LARGE', `the file is ${st.size} bytes, over the limit of ${limits.maxInputBytes} bytes (${path})`);
    }
    const got = await readRegularFile(path, limits.maxInputBytes);
    if (!(got instanceof Uint8Array)) {
      if (got.problem === 'too-large') {
        throw new StridewiseError('FILE_TOO_LARGE', `the file is ${got.sizeBytes} bytes, over the limit of ${limits.maxInputBytes} bytes (${path})`);
      }
      throw new StridewiseError('FILE_UNREADABLE', notRegularMessage(path));
    }
    if (hasZipMagic(got)) {
      throw new StridewiseError('ARCHIVE_NOT_SUPPORTED_HERE', `${path} is a zip archive; read archives with loadActivities`);
    }
    bytes = got;
  } catch (error) {
    if (isStridewiseError(error)) throw error;
    throw new StridewiseError(fsCode(error), fsMessage(error, path), { cause: error });
  }
  return (options.parse ?? parseActivities)(bytes, {
    fileName: path,
    limits,
    ...(options.cadenceUnit !== undefined ? { cadenceUnit: options.cadenceUnit } : {}),
  });
}
