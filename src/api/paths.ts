// The control API's version and path prefix: shared by the daemon's routes,
// the CLI's client and the lab, so all three speak the same version.
export const CONTROL_API_VERSION = 'control.routerd.net/v1alpha1';
export const API_PREFIX = `/api/${CONTROL_API_VERSION}`;
export const DEFAULT_SOCKET = '/run/routerd-evpn/routerd-evpn.sock';
