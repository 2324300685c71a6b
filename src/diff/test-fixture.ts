// Objects for the diff tests: just enough identity for compareRenders, built from a body.
import type { JsonObject, ManifestObject } from '../model/object';

export function obj(body: JsonObject): ManifestObject {
  const apiVersion = String(body.apiVersion ?? 'v1');
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
  const meta = (body.metadata ?? {}) as JsonObject;
  const namespace = String(meta.namespace ?? '');
  const kind = String(body.kind);
  const name = String(meta.name);
  return {
    body,
    source: { file: 'app/a.yaml', line: 1 },
    apiVersion,
    kind,
    group,
    name,
    declaredNamespace: namespace,
    namespace,
    scope: namespace ? 'Namespaced' : 'Cluster',
    key: `${group}/${kind}/${namespace}/${name}`,
  };
}

export const configMap = (name: string, data: JsonObject, extra: JsonObject = {}) =>
  obj({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'prod', ...extra }, data });

export const deployment = (name: string, image: string) =>
  obj({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'prod' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'web', image, ports: [{ containerPort: 8080 }] }] },
      },
    },
  });
