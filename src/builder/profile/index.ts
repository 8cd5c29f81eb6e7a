// SPDX-License-Identifier: GPL-3.0-or-later
// The profile system's public API: everything outside src/builder/profile imports from here.
export { loadProfileWith, type LoadOptions } from './load.js';
export type { DraftProfile, ProfileFeature, ProfileSection, ResolveContext } from './feature.js';
export { profileJsonSchema } from './json-schema.js';
export { profileReferenceMarkdown } from './reference.js';
export { generatedFiles, type GeneratedFile } from './generate.js';
export { findRepoRoot } from './repo-root.js';
export { SERIAL_ENTRY_ID } from './merged-rules.js';
export { injectsModules } from './kernel-section.js';
export type {
  Boot,
  BootEntry,
  CommandHook,
  Compression,
  Distribution,
  Firmware,
  Hook,
  HookWhen,
  ImageSettings,
  ImageUser,
  MergedSections,
  ProfilePath,
  Overlay,
  Profile,
  ProfileSections,
  ScriptHook,
  SerialConsole,
  Squashfs,
} from './types.js';
