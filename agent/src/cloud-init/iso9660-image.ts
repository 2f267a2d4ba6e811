/**
 * Builds an ISO 9660 image (ECMA-119) with a Joliet supplementary volume descriptor: one root directory
 * holding a few files, which is all a cloud-init NoCloud seed needs.
 *
 * Hand-written because npm has no maintained pure-JavaScript ISO 9660 writer (node-genisoimage is GPL
 * WebAssembly that needs --no-experimental-fetch), and calling genisoimage or oscdimg would add a tool
 * to install on every Hyper-V host. The subset needed is small: level 1 (8.3, upper-case) names in the
 * primary volume for readers without Joliet, Joliet (UCS-2) names for the exact lower-case file names,
 * both directories pointing at the same file extents. No Rock Ridge, no subdirectories.
 */

export interface IsoFile {
  /** The name as readers with Joliet see it (Linux, Windows): 1–64 characters, no `* / : ; ? \`. */
  name: string;
  content: Uint8Array;
}

export interface Iso9660ImageOptions {
  /** Volume label: 1–32 of A–Z, 0–9 and _ (ISO 9660 d-characters). */
  volumeId: string;
  files: readonly IsoFile[];
  /** Stamped on the volume and every file. Fixed by default, so the same files always give the same bytes. */
  recordedAt?: Date;
}

export const ISO_SECTOR_BYTES = 2048;

/** Sectors 0–15 are the system area (boot code on other media), left zero. */
const FIRST_DESCRIPTOR_SECTOR = 16;
const MAX_JOLIET_NAME_CHARS = 64;
const JOLIET_FORBIDDEN = /[\u0000-\u001f*/:;?\\]/;
/** UCS-2 level 3, the escape sequence every Joliet reader recognises. */
const JOLIET_ESCAPE = Buffer.from('%/E', 'latin1');
const DIRECTORY_FLAG = 0x02;

/** A directory's records: how one directory hierarchy (primary or Joliet) names each file. */
interface NamedFile {
  identifier: Buffer;
  sortKey: string;
  location: number;
  size: number;
}

export function buildIso9660Image(options: Iso9660ImageOptions): Buffer {
  const { volumeId, files } = options;
  const recordedAt = options.recordedAt ?? new Date(0);
  if (!/^[A-Z0-9_]{1,32}$/.test(volumeId)) throw new Error(`volume id '${volumeId}' must be 1-32 of A-Z, 0-9 and _`);
  requireJolietNames(files);

  // Fixed part: descriptors (primary, Joliet, terminator), then four one-sector path tables (L and M
  // for each hierarchy: a root-only tree needs 10 bytes each).
  const pathTableSector = FIRST_DESCRIPTOR_SECTOR + 3;
  const primaryRootSector = pathTableSector + 4;
  const primaryNames = primaryIdentifiers(files.map((f) => f.name));
  const primaryRecords = primaryNames.map((name) => ({ identifier: Buffer.from(name, 'latin1'), sortKey: name }));
  const jolietRecords = files.map((file) => ({ identifier: ucs2(file.name), sortKey: file.name }));
  const primaryRootSectors = directorySectors(primaryRecords.map((r) => r.identifier.length));
  const jolietRootSector = primaryRootSector + primaryRootSectors;
  const jolietRootSectors = directorySectors(jolietRecords.map((r) => r.identifier.length));

  let nextSector = jolietRootSector + jolietRootSectors;
  const extents = files.map((file) => {
    // An empty file owns no sector; sector 0 is where other writers point such files too.
    if (file.content.length === 0) return 0;
    const location = nextSector;
    nextSector += Math.ceil(file.content.length / ISO_SECTOR_BYTES);
    return location;
  });
  const totalSectors = nextSector;

  const image = Buffer.alloc(totalSectors * ISO_SECTOR_BYTES);
  const sector = (n: number) => image.subarray(n * ISO_SECTOR_BYTES, (n + 1) * ISO_SECTOR_BYTES);
  const hierarchies = [
    { kind: 'primary' as const, rootSector: primaryRootSector, rootSectors: primaryRootSectors, records: primaryRecords, pathTables: pathTableSector },
    { kind: 'joliet' as const, rootSector: jolietRootSector, rootSectors: jolietRootSectors, records: jolietRecords, pathTables: pathTableSector + 2 },
  ];
  hierarchies.forEach((h, index) => {
    writeVolumeDescriptor(sector(FIRST_DESCRIPTOR_SECTOR + index), { ...h, volumeId, totalSectors, recordedAt });
    writePathTable(sector(h.pathTables), h.rootSector, 'little');
    writePathTable(sector(h.pathTables + 1), h.rootSector, 'big');
    const named: NamedFile[] = h.records.map((r, i) => ({ ...r, location: extents[i], size: files[i].content.length }));
    writeDirectory(image.subarray(h.rootSector * ISO_SECTOR_BYTES, (h.rootSector + h.rootSectors) * ISO_SECTOR_BYTES), h.rootSector, named, recordedAt);
  });
  writeTerminator(sector(FIRST_DESCRIPTOR_SECTOR + 2));
  files.forEach((file, index) => {
    if (file.content.length > 0) image.set(file.content, extents[index] * ISO_SECTOR_BYTES);
  });
  return image;
}

function requireJolietNames(files: readonly IsoFile[]): void {
  const seen = new Set<string>();
  for (const { name } of files) {
    // Joliet is UCS-2: characters outside the Basic Multilingual Plane (surrogate pairs) have no code.
    if (name.length === 0 || name.length > MAX_JOLIET_NAME_CHARS || JOLIET_FORBIDDEN.test(name) || /[\ud800-\udfff]/.test(name) || name === '.' || name === '..') {
      throw new Error(`'${name}' cannot be a Joliet file name (1-${MAX_JOLIET_NAME_CHARS} characters, none of * / : ; ? \\ or control characters)`);
    }
    // Windows reads Joliet names case-insensitively, so two names differing only in case would clash there.
    const key = name.toLowerCase();
    if (seen.has(key)) throw new Error(`two files are named '${name}' (names are compared case-insensitively)`);
    seen.add(key);
  }
}

/**
 * Level 1 names (`NAME8.EXT;1`, upper-case d-characters) for readers without Joliet, made unique by
 * replacing the end of the name with a counter, as genisoimage does.
 */
function primaryIdentifiers(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    const dChars = (text: string) => text.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
    const dot = name.lastIndexOf('.');
    const base = dChars(dot > 0 ? name.slice(0, dot) : name).slice(0, 8) || '_';
    const extension = dot > 0 ? dChars(name.slice(dot + 1)).slice(0, 3) : '';
    let candidate = `${base}.${extension}`;
    for (let counter = 1; taken.has(candidate); counter++) {
      const suffix = String(counter);
      candidate = `${base.slice(0, 8 - suffix.length)}${suffix}.${extension}`;
    }
    taken.add(candidate);
    return `${candidate};1`;
  });
}

function ucs2(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

/** ECMA-119 9.1: a directory record is 33 bytes plus its identifier, padded to an even length. */
function recordLength(identifierLength: number): number {
  return 33 + identifierLength + (identifierLength % 2 === 0 ? 1 : 0);
}

/** Records may not cross a sector boundary, so a sector's unused tail is skipped. */
function layoutRecords(identifierLengths: readonly number[]): number[] {
  const offsets: number[] = [];
  let offset = 0;
  for (const length of identifierLengths.map(recordLength)) {
    if ((offset % ISO_SECTOR_BYTES) + length > ISO_SECTOR_BYTES) offset = Math.ceil(offset / ISO_SECTOR_BYTES) * ISO_SECTOR_BYTES;
    offsets.push(offset);
    offset += length;
  }
  offsets.push(offset);
  return offsets;
}

/** `.` and `..` (one-byte identifiers) come first in every directory. */
function directorySectors(fileIdentifierLengths: readonly number[]): number {
  const offsets = layoutRecords([1, 1, ...fileIdentifierLengths]);
  return Math.max(1, Math.ceil(offsets[offsets.length - 1] / ISO_SECTOR_BYTES));
}

/**
 * ECMA-119 9.3: records are sorted by name, then extension, each compared as if padded with spaces
 * (a plain string comparison would put `A.B1` before `A.B`).
 */
function compareIdentifiers(a: string, b: string): number {
  const split = (id: string) => {
    const bare = id.replace(/;1$/, '');
    const dot = bare.lastIndexOf('.');
    return dot < 0 ? [bare, ''] : [bare.slice(0, dot), bare.slice(dot + 1)];
  };
  const [aParts, bParts] = [split(a), split(b)];
  for (let part = 0; part < 2; part++) {
    const width = Math.max(aParts[part].length, bParts[part].length);
    const [x, y] = [aParts[part].padEnd(width, ' '), bParts[part].padEnd(width, ' ')];
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function writeDirectory(extent: Buffer, selfSector: number, files: NamedFile[], recordedAt: Date): void {
  const size = extent.length;
  // The root is its own parent.
  const records = [
    { identifier: Buffer.from([0]), location: selfSector, size, flags: DIRECTORY_FLAG },
    { identifier: Buffer.from([1]), location: selfSector, size, flags: DIRECTORY_FLAG },
    ...[...files].sort((a, b) => compareIdentifiers(a.sortKey, b.sortKey)).map((f) => ({ ...f, flags: 0 })),
  ];
  const offsets = layoutRecords(records.map((r) => r.identifier.length));
  records.forEach((record, index) => directoryRecord(record, recordedAt).copy(extent, offsets[index]));
}

function directoryRecord(record: { identifier: Buffer; location: number; size: number; flags: number }, recordedAt: Date): Buffer {
  const out = Buffer.alloc(recordLength(record.identifier.length));
  out[0] = out.length;
  bothEndian32(out, 2, record.location);
  bothEndian32(out, 10, record.size);
  out[18] = recordedAt.getUTCFullYear() - 1900;
  out[19] = recordedAt.getUTCMonth() + 1;
  out[20] = recordedAt.getUTCDate();
  out[21] = recordedAt.getUTCHours();
  out[22] = recordedAt.getUTCMinutes();
  out[23] = recordedAt.getUTCSeconds();
  // out[24]: offset from GMT in 15-minute units; the dates are UTC.
  out[25] = record.flags;
  bothEndian16(out, 28, 1);
  out[32] = record.identifier.length;
  record.identifier.copy(out, 33);
  return out;
}

function writePathTable(target: Buffer, rootSector: number, endian: 'little' | 'big'): void {
  target[0] = 1; // the root's identifier is one byte (0x00)
  if (endian === 'little') {
    target.writeUInt32LE(rootSector, 2);
    target.writeUInt16LE(1, 6);
  } else {
    target.writeUInt32BE(rootSector, 2);
    target.writeUInt16BE(1, 6);
  }
}

const PATH_TABLE_BYTES = 10;

interface DescriptorFields {
  kind: 'primary' | 'joliet';
  volumeId: string;
  totalSectors: number;
  rootSector: number;
  rootSectors: number;
  pathTables: number;
  recordedAt: Date;
}

/** ECMA-119 8.4 (primary) and 8.5 (supplementary; Joliet is one with UCS-2 identifiers). */
function writeVolumeDescriptor(target: Buffer, d: DescriptorFields): void {
  const joliet = d.kind === 'joliet';
  target[0] = joliet ? 2 : 1;
  target.write('CD001', 1, 'latin1');
  target[6] = 1;
  const text = (offset: number, length: number, value = '') => {
    if (joliet) {
      const encoded = ucs2(value.padEnd(Math.floor(length / 2), ' '));
      encoded.copy(target, offset, 0, Math.min(encoded.length, length));
      if (length % 2 === 1) target[offset + length - 1] = 0;
    } else {
      target.write(value.padEnd(length, ' '), offset, length, 'latin1');
    }
  };
  text(8, 32); // system identifier
  text(40, 32, d.volumeId);
  bothEndian32(target, 80, d.totalSectors);
  if (joliet) JOLIET_ESCAPE.copy(target, 88);
  bothEndian16(target, 120, 1); // volume set size
  bothEndian16(target, 124, 1); // volume sequence number
  bothEndian16(target, 128, ISO_SECTOR_BYTES);
  bothEndian32(target, 132, PATH_TABLE_BYTES);
  target.writeUInt32LE(d.pathTables, 140);
  target.writeUInt32BE(d.pathTables + 1, 148);
  directoryRecord({ identifier: Buffer.from([0]), location: d.rootSector, size: d.rootSectors * ISO_SECTOR_BYTES, flags: DIRECTORY_FLAG }, d.recordedAt).copy(target, 156);
  text(190, 128); // volume set
  text(318, 128); // publisher
  text(446, 128); // data preparer
  text(574, 128, 'OPENHVX'); // application
  text(702, 37); // copyright file
  text(739, 37); // abstract file
  text(776, 37); // bibliographic file
  volumeDate(target, 813, d.recordedAt); // creation
  volumeDate(target, 830, d.recordedAt); // modification
  volumeDate(target, 847, null); // expiration
  volumeDate(target, 864, null); // effective
  target[881] = 1; // file structure version
}

function writeTerminator(target: Buffer): void {
  target[0] = 255;
  target.write('CD001', 1, 'latin1');
  target[6] = 1;
}

/** ECMA-119 8.4.26.1: `YYYYMMDDHHMMSScc` in digits plus a GMT offset byte; all zero digits mean "not specified". */
function volumeDate(target: Buffer, offset: number, date: Date | null): void {
  const digits =
    date === null
      ? '0'.repeat(16)
      : date.toISOString().replace(/[-T:Z]/g, '').replace('.', '').slice(0, 16).padEnd(16, '0');
  target.write(digits, offset, 16, 'latin1');
  target[offset + 16] = 0;
}

function bothEndian16(target: Buffer, offset: number, value: number): void {
  target.writeUInt16LE(value, offset);
  target.writeUInt16BE(value, offset + 2);
}

function bothEndian32(target: Buffer, offset: number, value: number): void {
  target.writeUInt32LE(value, offset);
  target.writeUInt32BE(value, offset + 4);
}
