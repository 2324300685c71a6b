// What may reach a tool's command line (issue 8 §1). Every value that comes from the repository or
// the Application's parameters and ends up in helm's or kustomize's argv is checked here against what
// the tool itself accepts, so that none can be read as a flag (`--post-renderer=/bin/sh` as a release
// name ran a shell over the chart's output) or split into several arguments by the tool's own flag
// parser (helm's --values and --api-versions are comma-separated lists). The engines also place each
// value where it cannot be a flag (`--flag=value`, or after `--`): the checks here are the first wall,
// the placement the second. A refusal is one line that shows the value only sanitised and truncated.
import { RenderFailure } from '../../util/errors';

/** helm's own rule (ValidateReleaseName: pkg/chartutil in helm 3.17, pkg/chart/v2/util in 4.1, the same
 * rule): at most 53 characters, lower-case DNS-1123 labels separated by dots. */
const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const MAX_RELEASE_NAME = 53;

/** A namespace is a DNS-1123 label (Kubernetes' ValidateNamespaceName). */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** What helm's --kube-version takes (a semantic version, `v` optional: Masterminds semver), with the
 * build and pre-release suffixes providers use (`1.29.3+k3s1`, `1.28.5-gke.1217000`). */
const KUBE_VERSION = /^v?[0-9]+(\.[0-9]+){0,2}(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** An API version as Argo CD passes it in KUBE_API_VERSIONS: `v1`, `apps/v1`, `apps/v1/Deployment`. */
const API_VERSION = /^[A-Za-z0-9]([A-Za-z0-9.-]*)(\/[A-Za-z0-9][A-Za-z0-9.-]*){0,2}$/;

/** A chart version (semver, or the range helm's --version accepts, without spaces). */
const CHART_VERSION = /^[0-9A-Za-z^~<>=.*+_-]+$/;

/** A --set key as helm's strvals parser reads it: dotted names, list indexes, `\.` escapes. No `,`
 * (which would start a second assignment), no `=`, no space, and not a flag. */
const SET_KEY = /^[A-Za-z0-9_][A-Za-z0-9_.\-[\]\\/]*$/;

const MAX_SHOWN = 60;
const MAX_LENGTH = 4096;

/** A value for a message: JSON-quoted, control and invisible characters escaped, at most 60 characters. */
export function shown(v: string): string {
  const cut = [...v];
  const short = cut.length > MAX_SHOWN ? `${cut.slice(0, MAX_SHOWN).join('')}…` : v;
  return JSON.stringify(short).replace(
    /[\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function refuse(what: string, value: string, rule: string, where: string | undefined, fix: string): never {
  throw new RenderFailure(`${what} ${shown(value)} ${rule}`, where, fix);
}

/** Characters no tool argument of ours ever needs: control characters, and NUL, which Node cannot pass. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export function checkReleaseName(v: string, what: string, where?: string): string {
  if (v.length > MAX_RELEASE_NAME || !RELEASE_NAME.test(v)) {
    refuse(
      what,
      v,
      `is not a valid helm release name (lower-case letters, digits, "-" and ".", starting and ending with a letter or digit, at most ${MAX_RELEASE_NAME} characters)`,
      where,
      'set a release name such as "my-app"',
    );
  }
  return v;
}

export function checkNamespace(v: string, what: string, where?: string): string {
  if (v.length > 63 || !DNS_LABEL.test(v))
    refuse(
      what,
      v,
      'is not a valid namespace (a DNS-1123 label: lower-case letters, digits and "-", at most 63 characters)',
      where,
      'use the namespace as Kubernetes spells it',
    );
  return v;
}

export function checkKubeVersion(v: string, what: string, where?: string): string {
  if (v.length > 128 || !KUBE_VERSION.test(v))
    refuse(
      what,
      v,
      'is not a Kubernetes version (such as 1.31.4 or v1.29.3+k3s1)',
      where,
      "give the cluster's version as `kubectl version` prints it",
    );
  return v;
}

export function checkApiVersion(v: string, what: string, where?: string): string {
  if (v.length > 512 || !API_VERSION.test(v))
    refuse(
      what,
      v,
      'is not an API version (such as v1, apps/v1 or apps/v1/Deployment)',
      where,
      'list API versions as group/version or group/version/Kind',
    );
  return v;
}

export function checkChartVersion(v: string, what: string, where?: string): string {
  if (v.length > 128 || !CHART_VERSION.test(v) || v.startsWith('-'))
    refuse(what, v, 'is not a chart version', where, 'give a semantic version such as 1.2.3');
  return v;
}

export function checkSetKey(v: string, what: string, where?: string): string {
  if (v.length > 1024 || !SET_KEY.test(v))
    refuse(
      what,
      v,
      'is not a helm value path (letters, digits, "_", "-", ".", "[n]"; no "," "=" or spaces)',
      where,
      'name the value as in values.yaml, e.g. image.tag',
    );
  return v;
}

/** Any other string that reaches a command line as a whole argument (or a --flag=value value). */
export function checkPlainArg(v: string, what: string, where?: string): string {
  if (v.length > MAX_LENGTH || CONTROL.test(v))
    refuse(what, v, `contains control characters or is longer than ${MAX_LENGTH} characters`, where, 'remove them');
  return v;
}

/** A --set value: any text (it follows `key=` inside one argument), but not NUL, which no argument can carry. */
export function checkSetValue(v: string, what: string, where?: string): string {
  if (v.includes('\0') || v.length > 1024 * 1024)
    refuse(
      what,
      v,
      'contains a NUL byte or is longer than 1 MiB',
      where,
      'put large or binary values in a values file',
    );
  return v;
}

/** A file path handed to helm's --values (or -f), a comma-separated list in helm: a comma would make
 * one path two, the second anywhere on the machine. */
export function checkPathArg(v: string, what: string, where?: string): string {
  checkPlainArg(v, what, where);
  if (v.includes(','))
    refuse(what, v, 'contains ",", which helm reads as a list of files', where, 'rename the file without ","');
  return v;
}
