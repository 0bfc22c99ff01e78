// The programs the daemon runs (through exec.ts), and where frr-reload.py
// lives by default: one list, used by the adapters and by `evpnctl doctor`.
export const DEFAULT_FRR_RELOAD = '/usr/lib/frr/frr-reload.py';
export const SYSTEM_TOOLS = ['vtysh', 'ip', 'bridge', 'sysctl', 'python3'] as const;
