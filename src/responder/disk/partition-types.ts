// SPDX-License-Identifier: GPL-3.0-or-later
// Names for the partition types a responder meets most, so a message can say "2: APFS" instead of
// a GUID. Only used for hints: what is on a partition is always read from its own signature.

export const GPT_APFS = '7c3457ef-0000-11aa-aa11-00306543ecac';

const GPT: Record<string, string> = {
  'c12a7328-f81f-11d2-ba4b-00a0c93ec93b': 'EFI system',
  [GPT_APFS]: 'APFS',
  '48465300-0000-11aa-aa11-00306543ecac': 'HFS+',
  '53746f72-6167-11aa-aa11-00306543ecac': 'Apple Core Storage',
  '426f6f74-0000-11aa-aa11-00306543ecac': 'Apple boot (recovery)',
  'ebd0a0a2-b9e5-4433-87c0-68b6b72699c7': 'Microsoft basic data',
  'e3c9e316-0b5c-4db8-817d-f92df00215ae': 'Microsoft reserved',
  'de94bba4-06d1-4d40-a16a-bfd50179d6ac': 'Windows recovery',
  '0fc63daf-8483-4772-8e79-3d69d8477de4': 'Linux file system',
  '0657fd6d-a4ab-43c4-84e5-0933c84b4f4f': 'Linux swap',
  'e6d6d379-f507-44c2-a23c-238f2a3df928': 'Linux LVM',
  'a19d880f-05fc-4d3b-a006-743f0f84911e': 'Linux RAID',
  '21686148-6449-6e6f-744e-656564454649': 'BIOS boot',
};

const MBR: Record<string, string> = {
  '07': 'NTFS/exFAT',
  '0b': 'FAT32',
  '0c': 'FAT32 (LBA)',
  '05': 'extended',
  '0f': 'extended (LBA)',
  '82': 'Linux swap',
  '83': 'Linux',
  '8e': 'Linux LVM',
  fd: 'Linux RAID',
  ee: 'GPT protective',
  ef: 'EFI system',
  af: 'HFS/HFS+',
};

/** A readable name for a GPT type GUID or an MBR type byte, or the raw value. */
export function partitionTypeName(type: string): string {
  const t = type.toLowerCase();
  return GPT[t] ?? MBR[t] ?? type;
}

export function isApfsPartitionType(type: string | undefined): boolean {
  return type?.toLowerCase() === GPT_APFS;
}
