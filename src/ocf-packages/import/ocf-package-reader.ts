import { createHash } from 'node:crypto';
import { FILE_SCHEMAS, MANIFEST_PATH, OCF_FILES, OCF_VERSION } from '../export/ocf-package';
import type { OcfFinding } from './ocf-findings';
import { OcfPackageUnreadableError, readZip } from './ocf-zip';

export type OcfItem = Record<string, unknown>;

/** One file of a package: where it came from, its kind, and its items. */
export interface PackageFile {
  path: string;
  fileType: string;
  items: OcfItem[];
}

/** A package as read: the manifest, its files in the manifest's order, and what was off. */
export interface ReadPackage {
  manifest: OcfItem;
  files: PackageFile[];
  md5: string;
  warnings: OcfFinding[];
  errors: OcfFinding[];
}

const MANIFEST_KEYS: string[] = [
  ...OCF_FILES.map((f) => f.key),
  'financings_files',
  'documents_files',
];
const TYPE_OF_KEY: Record<string, string> = {
  ...Object.fromEntries(OCF_FILES.map((f) => [f.key, f.type])),
  financings_files: 'OCF_FINANCINGS_FILE',
  documents_files: 'OCF_DOCUMENTS_FILE',
};

const baseName = (path: string) => path.replace(/\\/g, '/').split('/').pop() ?? path;

function parseJson(bytes: Buffer, path: string, errors: OcfFinding[]): OcfItem | null {
  try {
    const value = JSON.parse(bytes.toString('utf8')) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as OcfItem;
    errors.push({ file: path, pointer: '', message: 'is not a JSON object' });
  } catch (error) {
    errors.push({ file: path, pointer: '', message: `is not JSON: ${(error as Error).message}` });
  }
  return null;
}

/** An archive being read: its bytes and parsed JSON documents by name, and what was off. */
interface Archive {
  entries: Map<string, Buffer>;
  documents: Map<string, OcfItem>;
  manifestName: string;
  used: Set<string>;
  files: PackageFile[];
  warnings: OcfFinding[];
  errors: OcfFinding[];
}

/** The file a manifest entry lists: by its name, else the unused one of its file_type. */
function listedFile(
  archive: Archive,
  key: string,
  index: number,
  entry: { filepath?: string; md5?: string },
): void {
  const { documents, manifestName } = archive;
  const pointer = `/${key}/${index}`;
  const wanted = baseName(typeof entry.filepath === 'string' ? entry.filepath : '');
  let name = documents.has(wanted) ? wanted : undefined;
  if (!name) {
    name = [...documents.entries()].find(
      ([n, d]) => !archive.used.has(n) && d.file_type === TYPE_OF_KEY[key],
    )?.[0];
    if (!name)
      return void archive.errors.push({
        file: manifestName,
        pointer,
        message: `lists ${entry.filepath}, which the archive does not hold`,
      });
    archive.warnings.push({
      file: manifestName,
      pointer,
      message: `lists ${entry.filepath}; the archive names it ${name} (matched by its file_type)`,
    });
  }
  archive.used.add(name);
  const actual = createHash('md5').update(archive.entries.get(name)!).digest('hex');
  if (entry.md5 && entry.md5 !== actual)
    archive.warnings.push({
      file: manifestName,
      pointer: `${pointer}/md5`,
      message: `${name}'s md5 is ${actual}, not ${entry.md5} as the manifest says`,
    });
  archive.files.push(toFile(name, documents.get(name)!, archive.errors));
}

/** Every JSON document of the archive, and which of them is the manifest. */
async function openArchive(body: Buffer): Promise<Archive> {
  const entries = await readZip(body);
  const errors: OcfFinding[] = [];
  const documents = new Map<string, OcfItem>();
  for (const [name, bytes] of entries) {
    if (!name.toLowerCase().endsWith('.json')) continue;
    const document = parseJson(bytes, name, errors);
    if (document) documents.set(name, document);
  }
  const manifestName =
    [...documents.keys()].find((name) => name === MANIFEST_PATH) ??
    [...documents.entries()].find(([, d]) => d.file_type === 'OCF_MANIFEST_FILE')?.[0];
  if (!manifestName)
    throw new OcfPackageUnreadableError(`The archive holds no manifest (${MANIFEST_PATH}).`);
  return {
    entries,
    documents,
    manifestName,
    used: new Set([manifestName]),
    files: [],
    warnings: [],
    errors,
  };
}

/** A `.ocf.zip`: the manifest, then every file it lists (found by name, else by its file_type). */
export async function readZipPackage(body: Buffer): Promise<ReadPackage> {
  const md5 = createHash('md5').update(body).digest('hex');
  const archive = await openArchive(body);
  const manifest = archive.documents.get(archive.manifestName)!;
  for (const key of MANIFEST_KEYS) {
    const listed = manifest[key];
    if (Array.isArray(listed))
      listed.forEach((entry: { filepath?: string; md5?: string }, index) =>
        listedFile(archive, key, index, entry),
      );
  }
  for (const [name, document] of archive.documents) {
    const type = typeof document.file_type === 'string' ? document.file_type : '';
    if (archive.used.has(name) || !FILE_SCHEMAS[type]) continue;
    archive.warnings.push({
      file: name,
      pointer: '',
      message: 'is not listed in the manifest; imported by its file_type',
    });
    archive.files.push(toFile(name, document, archive.errors));
  }
  checkVersion(manifest, archive.manifestName, archive.warnings);
  return {
    manifest,
    files: archive.files,
    md5,
    warnings: archive.warnings,
    errors: archive.errors,
  };
}

/** The single-document form the export's ?format=json gives: `{files: {path: file}, manifest}`. */
export function readJsonPackage(body: unknown, raw: string): ReadPackage {
  const md5 = createHash('md5').update(raw).digest('hex');
  const document = (body ?? {}) as { files?: Record<string, OcfItem>; manifest?: OcfItem };
  if (!document.manifest || typeof document.manifest !== 'object' || !document.files)
    throw new OcfPackageUnreadableError(
      'A JSON package is one document {"files": {"<path>": <OCF file>}, "manifest": <OCF manifest>}.',
    );
  const warnings: OcfFinding[] = [];
  const errors: OcfFinding[] = [];
  const files = Object.entries(document.files).map(([path, file]) =>
    toFile(path, file ?? {}, errors),
  );
  checkVersion(document.manifest, MANIFEST_PATH, warnings);
  return { manifest: document.manifest, files, md5, warnings, errors };
}

function toFile(path: string, document: OcfItem, errors: OcfFinding[]): PackageFile {
  const items = Array.isArray(document.items) ? (document.items as OcfItem[]) : [];
  if (!Array.isArray(document.items))
    errors.push({ file: path, pointer: '/items', message: 'is missing or not an array' });
  return {
    path,
    fileType: typeof document.file_type === 'string' ? document.file_type : '',
    items,
  };
}

function checkVersion(manifest: OcfItem, file: string, warnings: OcfFinding[]): void {
  if (manifest.ocf_version !== OCF_VERSION)
    warnings.push({
      file,
      pointer: '/ocf_version',
      message: `is ${JSON.stringify(manifest.ocf_version)}; read as ${OCF_VERSION}`,
    });
}
