// Stage "context": everything a render depends on besides the files, gathered once from Argo CD's
// environment (generate) or from flags (render), so that both give the same bytes for the same inputs.

export interface PluginParameter {
  name: string;
  string?: string;
  array?: string[];
  map?: Record<string, string>;
}

export interface AppContext {
  /** ARGOCD_APP_NAME: `<name>`, or `<appNamespace>_<name>` for apps outside the control-plane namespace. */
  appName: string;
  /** ARGOCD_APP_NAMESPACE: the destination namespace ("" when the Application sets none). */
  namespace: string;
  project: string;
  repoURL: string;
  /** ARGOCD_APP_SOURCE_PATH as written in the Application. */
  sourcePath: string;
  revision: string;
  targetRevision: string;
  kubeVersion: string;
  apiVersions: string[];
  /** ARGOCD_ENV_<name> values, keyed by <name> exactly as given. */
  env: Record<string, string>;
  parameters: PluginParameter[];
  /** Absolute path of the app directory (Argo CD's working directory). */
  appDir: string;
  /** Absolute path of the repository root: nothing outside it is ever read. */
  repoRoot: string;
}
