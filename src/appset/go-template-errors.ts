// The error a Go template function returns (or the panic text/template recovers from a call): the
// template, and so the ApplicationSet, fails.
export class GoCallError extends Error {}
