// The plain-directory engine: the app folder's manifest files as they are (Argo CD's directory
// source), chosen by include/exclude/recurse. The fallback when no other engine's files are present.
import { listFiles, readSources } from '../read-tree';
import { checkGlobs, selectManifestFiles } from '../select-files';
import type { Engine } from './engine';

export const plainEngine: Engine<'plain'> = {
  name: 'plain',
  render: async ({ app, config, prefix }) => {
    checkGlobs(config);
    const files = selectManifestFiles(listFiles(app.appDir, app.repoRoot, config.recurse), config);
    return { sources: readSources(app.appDir, files, prefix, app.repoRoot), fileCount: files.length };
  },
};
