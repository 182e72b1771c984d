/**
 * A ZIP archive in store mode (no compression: safetensors barely compress, and a page then needs no
 * deflate library): local headers, the data, the central directory and its end record (PKWARE's
 * APPNOTE 4.3), CRC-32 of each file, UTF-8 names. Under 4 GiB and 65535 entries (no ZIP64).
 */

export interface ZipEntry {
  /** Path inside the archive, "/" separated. */
  name: string;
  bytes: Uint8Array;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** MS-DOS time and date of `d` (local time, 2-second resolution), as ZIP stores them. */
function dosTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: (Math.max(0, d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

export function zipStore(entries: readonly ZipEntry[], modified = new Date()): Blob {
  const { time, date } = dosTime(modified);
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = new TextEncoder().encode(e.name);
    const crc = crc32(e.bytes);
    const size = e.bytes.byteLength;
    // Fields shared by the local header (from "version needed") and the central record.
    const common = (v: DataView, at: number) => {
      v.setUint16(at, 20, true); // version needed: 2.0
      v.setUint16(at + 2, 0x0800, true); // flags: UTF-8 names
      v.setUint16(at + 4, 0, true); // method: stored
      v.setUint16(at + 6, time, true);
      v.setUint16(at + 8, date, true);
      v.setUint32(at + 10, crc, true);
      v.setUint32(at + 14, size, true); // compressed size
      v.setUint32(at + 18, size, true);
      v.setUint16(at + 22, name.length, true);
      v.setUint16(at + 24, 0, true); // extra field length
    };
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    common(lv, 4);
    local.set(name, 30);
    const record = new Uint8Array(46 + name.length);
    const cv = new DataView(record.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true); // version made by
    common(cv, 6);
    // comment length, disk number, internal and external attributes: 0
    cv.setUint32(42, offset, true);
    record.set(name, 46);
    parts.push(local, e.bytes);
    central.push(record);
    offset += local.length + size;
  }
  const centralSize = central.reduce((s, r) => s + r.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, centralSize, true);
  ev.setUint32(16, offset, true);
  return new Blob([...parts, ...central, end] as BlobPart[], { type: 'application/zip' });
}
