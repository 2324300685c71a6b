// A path git listed for the working tree, checked before it is joined to a folder (issue 12): git
// never lists an absolute path, `..`, `.git` or an empty segment, so one that does is not copied.
// The trailing `/` git prints for an untracked nested repository marks a folder, which is skipped too.

/** `rel` with `/` separators when it is a plain relative path inside the repository, else undefined. */
export function checkedRelPath(rel: string): string | undefined {
  if (rel === '' || rel.length > 4096 || rel.startsWith('/') || rel.endsWith('/') || rel.includes('\0'))
    return undefined;
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.' || seg === '..' || seg.toLowerCase() === '.git') return undefined;
  }
  return rel;
}
