import { describe, expect, it } from 'vitest';
import { fileMismatch, findPendingUpload, interruptedMessage, parsePendingUploads, type PendingUpload, withoutPendingUpload, withPendingUpload } from './pendingUploads';

const entry: PendingUpload = { namespace: 'ns', dvName: 'fedora', fileName: 'disk.qcow2', size: 1000, lastModified: 1700000000000, offset: 420 };

describe('pending uploads', () => {
  it.each<[string, string | null, number]>([
    ['nothing stored', null, 0],
    ['not JSON', '{', 0],
    ['not a list', '{"a":1}', 0],
    ['one good, one broken', JSON.stringify([entry, { namespace: 'ns' }]), 1],
  ])('reads %s', (_n, text, count) => {
    expect(parsePendingUploads(text)).toHaveLength(count);
  });

  it('keeps one entry per DataVolume', () => {
    let list = withPendingUpload([], entry);
    list = withPendingUpload(list, { ...entry, offset: 800 });
    list = withPendingUpload(list, { ...entry, dvName: 'other' });
    expect(list).toHaveLength(2);
    expect(findPendingUpload(list, 'ns', 'fedora')?.offset).toBe(800);
    expect(withoutPendingUpload(list, 'ns', 'fedora')).toHaveLength(1);
    const same = withoutPendingUpload(list, 'ns', 'gone');
    expect(same).toBe(list);
  });

  it('says where it stopped', () => {
    expect(interruptedMessage(entry)).toBe('Upload of disk.qcow2 to fedora was interrupted at 42% — choose the same file to resume');
    expect(interruptedMessage(entry, 999)).toContain('at 99%');
  });

  it.each<[string, Partial<{ name: string; size: number; lastModified: number }>, string | undefined]>([
    ['the same file', {}, undefined],
    ['another name', { name: 'other.qcow2' }, 'it is called other.qcow2, not disk.qcow2'],
    ['another size', { size: 2000 }, 'it has 2 KiB, not 1000 B'],
    ['modified since', { lastModified: 1 }, 'it was modified since the upload started'],
  ])('checks the chosen file: %s', (_n, over, want) => {
    const m = fileMismatch(entry, { name: 'disk.qcow2', size: 1000, lastModified: 1700000000000, ...over });
    if (want === undefined) expect(m).toBeUndefined();
    else expect(m).toContain(want);
  });
});
