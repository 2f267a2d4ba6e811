import { encodeRequest, HostLoopDecoder, newFrameMarker } from './host-loop-protocol';

describe(HostLoopDecoder.name, () => {
  const marker = newFrameMarker();

  it('sorts lines into answers and host output, across chunk boundaries and CRLF line ends', () => {
    const decoder = new HostLoopDecoder(marker);
    const text = `WARNING: x\r\n${marker}{"ready":true,"psVersion":"5.1"}\r\n\n${marker}{"id":"r1","ok":true,"result":{"a":[1,2]}}\n`;
    const decoded = [...text].flatMap((char) => decoder.push(char));
    expect(decoded).toEqual([
      { kind: 'noise', line: 'WARNING: x' },
      { kind: 'frame', frame: { ready: true, psVersion: '5.1' } },
      { kind: 'noise', line: '' },
      { kind: 'frame', frame: { id: 'r1', ok: true, result: { a: [1, 2] } } },
    ]);
  });

  it('takes a line as an answer only when it starts with this session marker', () => {
    const decoder = new HostLoopDecoder(marker);
    const other = newFrameMarker();
    const decoded = decoder.push(`${other}{"id":"r1","ok":true,"result":1}\nnoise ${marker}{"id":"r1","ok":true,"result":1}\n`);
    expect(decoded.map((d) => d.kind)).toEqual(['noise', 'noise']);
  });

  it('reports marked lines that are not frames', () => {
    const decoder = new HostLoopDecoder(marker);
    const decoded = decoder.push(`${marker}not json\n${marker}{"id":1,"ok":true}\n${marker}{"id":"r1","ok":false,"error":{"message":"m"}}\n`);
    expect(decoded.map((d) => (d.kind === 'malformed' ? d.reason.slice(0, 24) : d.kind))).toEqual(['the answer is not JSON', 'the answer is not a fram', 'the answer is not a fram']);
  });

  it('drops a line longer than the limit once, then reads on', () => {
    const decoder = new HostLoopDecoder(marker, 100);
    const first = decoder.push('x'.repeat(150));
    const second = decoder.push(`${'y'.repeat(80)}\n${marker}{"ready":true,"psVersion":"7.4"}\n`);
    expect(first.map((d) => d.kind)).toEqual(['malformed']);
    expect(second).toEqual([{ kind: 'frame', frame: { ready: true, psVersion: '7.4' } }]);
  });

  it('hands over a last line without newline at the end of the stream', () => {
    const decoder = new HostLoopDecoder(marker);
    expect(decoder.push(`${marker}{"id":"r9","ok":true,"result":null}`)).toEqual([]);
    expect(decoder.end()).toEqual([{ kind: 'frame', frame: { id: 'r9', ok: true, result: null } }]);
  });
});

describe(encodeRequest.name, () => {
  it('writes one line however many line breaks the data holds', () => {
    const line = encodeRequest({ id: 'r1', script: 'vm-create', params: { Name: 'a\nb\r\nc\u2028d' } });
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(/[\r\n]/);
    expect(JSON.parse(line).params.Name).toBe('a\nb\r\nc\u2028d');
  });
});
