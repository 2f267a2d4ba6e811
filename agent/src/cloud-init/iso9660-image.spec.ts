import { randomBytes } from 'node:crypto';
import { buildIso9660Image, ISO_SECTOR_BYTES, IsoFile } from './iso9660-image';
import { describeIso, isoinfo, listIso, readIsoFile, withIsoFile } from './test-support/isoinfo';

const text = (name: string, content: string): IsoFile => ({ name, content: Buffer.from(content, 'utf8') });

describe(buildIso9660Image.name, () => {
  it('labels the volume and announces Joliet, with the volume size isoinfo reads matching the image', () => {
    const image = buildIso9660Image({ volumeId: 'CIDATA', files: [text('meta-data', 'instance-id: a\n')] });
    const described = withIsoFile(image, describeIso);
    expect(described).toMatch(/^Volume id: CIDATA$/m);
    expect(described).toMatch(/^Joliet with UCS level 3 found$/m);
    expect(described).toMatch(/^Logical block size is: 2048$/m);
    expect(image.length % ISO_SECTOR_BYTES).toBe(0);
    expect(described).toMatch(new RegExp(`^Volume size is: ${image.length / ISO_SECTOR_BYTES}$`, 'm'));
  });

  it('gives every file its exact lower-case name in Joliet and an 8.3 upper-case name in the primary directory', () => {
    const image = buildIso9660Image({ volumeId: 'CIDATA', files: [text('user-data', 'u'), text('meta-data', 'm'), text('network-config', 'n')] });
    withIsoFile(image, (iso) => {
      // Sorted as ISO 9660 requires, whatever order the files were given in.
      expect(listIso(iso, 'joliet')).toEqual(['/meta-data', '/network-config', '/user-data']);
      expect(listIso(iso, 'primary')).toEqual(['/META_DAT.;1', '/NETWORK_.;1', '/USER_DAT.;1']);
      expect(readIsoFile(iso, '/network-config').toString()).toBe('n');
      expect(readIsoFile(iso, '/USER_DAT.;1', 'primary').toString()).toBe('u');
    });
  });

  it('returns the exact bytes of multi-byte UTF-8, empty, one-sector, just-over-one-sector and ~200 KiB files', () => {
    const files: IsoFile[] = [
      text('utf8', 'héllo wörld — 你好 🌍 ﬁ\n'),
      { name: 'empty', content: Buffer.alloc(0) },
      { name: 'one-sector', content: randomBytes(ISO_SECTOR_BYTES) },
      { name: 'sector-and-a-byte', content: randomBytes(ISO_SECTOR_BYTES + 1) },
      { name: 'big', content: randomBytes(200 * 1024 + 7) },
      { name: 'after-big', content: Buffer.from('the file after a large one starts on its own sector') },
    ];
    const image = buildIso9660Image({ volumeId: 'CIDATA', files });
    withIsoFile(image, (iso) => {
      for (const file of files) {
        expect({ name: file.name, bytes: readIsoFile(iso, `/${file.name}`) }).toEqual({ name: file.name, bytes: Buffer.from(file.content) });
      }
    });
  });

  it('spreads a directory over several sectors when its records do not fit in one', () => {
    const files = Array.from({ length: 60 }, (_, i) => text(`file-${String(i).padStart(2, '0')}-${'x'.repeat(50)}`, `content ${i}`));
    const image = buildIso9660Image({ volumeId: 'MANY', files });
    withIsoFile(image, (iso) => {
      expect(listIso(iso, 'joliet')).toEqual(files.map((f) => `/${f.name}`));
      expect(new Set(listIso(iso, 'primary')).size).toBe(60);
      expect(readIsoFile(iso, `/${files[59].name}`).toString()).toBe('content 59');
    });
  });

  it('keeps primary names unique when names shorten to the same 8.3 form', () => {
    const image = buildIso9660Image({ volumeId: 'CIDATA', files: [text('meta-data', 'a'), text('meta-data-2', 'b'), text('Meta.Data', 'c')] });
    withIsoFile(image, (iso) => {
      expect(listIso(iso, 'primary')).toEqual(['/META.DAT;1', '/META_DA1.;1', '/META_DAT.;1']);
      expect(['/meta-data', '/meta-data-2', '/Meta.Data'].map((p) => readIsoFile(iso, p).toString())).toEqual(['a', 'b', 'c']);
    });
  });

  it('gives the same bytes for the same files, and stamps the date it is given', () => {
    const files = [text('meta-data', 'instance-id: a')];
    expect(buildIso9660Image({ volumeId: 'CIDATA', files }).equals(buildIso9660Image({ volumeId: 'CIDATA', files }))).toBe(true);
    const dated = buildIso9660Image({ volumeId: 'CIDATA', files, recordedAt: new Date(Date.UTC(2026, 4, 17, 8, 30, 15)) });
    expect(withIsoFile(dated, (iso) => isoinfo(['-l', '-J', '-i', iso]).toString())).toMatch(/ May 17 2026 .* meta-data/);
  });

  it('refuses names Joliet cannot hold and labels that are not ISO 9660 d-characters', () => {
    const build = (name: string, volumeId = 'CIDATA') => () => buildIso9660Image({ volumeId, files: [text(name, '')] });
    for (const bad of ['', 'a/b', 'a;1', 'what?', 'x'.repeat(65), 'rocket-🚀', '..']) expect(build(bad)).toThrow(/cannot be a Joliet file name/);
    expect(() => buildIso9660Image({ volumeId: 'CIDATA', files: [text('user-data', ''), text('USER-DATA', '')] })).toThrow(/two files are named/);
    expect(build('meta-data', 'cidata')).toThrow(/volume id/);
    expect(build('meta-data', '')).toThrow(/volume id/);
  });
});
