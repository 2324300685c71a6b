// Hard limits that turn hostile or broken input into a clear render-failed instead of an OOM or a
// message that Argo CD cannot carry. The total matches Argo CD's default gRPC limit (100 MiB), past
// which the repo-server would fail the app anyway.
export const MAX_FILE_BYTES = 16 * 1024 * 1024;
export const MAX_TOTAL_BYTES = 100 * 1024 * 1024;
