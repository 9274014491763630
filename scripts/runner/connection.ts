/**
 * Kernel connection files, written the way Jupyter writes them before it launches a kernel:
 * tcp on 127.0.0.1, five free ports (shell, iopub, stdin, control, heartbeat), hmac-sha256 with a
 * fresh random key. The kernel binds these ports; the client connects to them.
 * See https://jupyter-client.readthedocs.io/en/latest/kernels.html#connection-files
 */
import { randomBytes, randomUUID } from "node:crypto";
import { promises as fs } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export interface ConnectionInfo {
  transport: "tcp";
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  signature_scheme: "hmac-sha256";
  key: string;
  kernel_name?: string;
}

/** Ports handed out lately by this process (the OS may offer a just-closed port again). */
const recentPorts: number[] = [];

/**
 * Asks the OS for `n` distinct free TCP ports on `ip`. All listeners stay open until every port
 * is known, so one call never returns the same port twice. (Another process can still take a port
 * before the kernel binds it; Kernel.start retries once with new ports when that happens.)
 */
export async function freePorts(n: number, ip = "127.0.0.1"): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    const ports: number[] = [];
    while (ports.length < n) {
      const server = net.createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, ip, () => resolve());
      });
      const port = (server.address() as net.AddressInfo).port;
      // Kernels starting concurrently (--jobs) must not get a port another one was just given.
      if (recentPorts.includes(port)) continue;
      ports.push(port);
    }
    recentPorts.push(...ports);
    recentPorts.splice(0, Math.max(0, recentPorts.length - 500));
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

export async function newConnectionInfo(ip = "127.0.0.1"): Promise<ConnectionInfo> {
  const [shell, iopub, stdin, control, hb] = await freePorts(5, ip);
  return {
    transport: "tcp",
    ip,
    shell_port: shell,
    iopub_port: iopub,
    stdin_port: stdin,
    control_port: control,
    hb_port: hb,
    signature_scheme: "hmac-sha256",
    key: randomBytes(32).toString("hex"),
    kernel_name: "tslab",
  };
}

/** Writes the connection file (mode 0600: the key authenticates every message) and returns its path. */
export async function writeConnectionFile(info: ConnectionInfo, dir = os.tmpdir()): Promise<string> {
  const file = path.join(dir, `gan-course-kernel-${randomUUID()}.json`);
  await fs.writeFile(file, JSON.stringify(info, null, 1), { mode: 0o600 });
  return file;
}

export function endpoint(info: ConnectionInfo, port: number): string {
  return `${info.transport}://${info.ip}:${port}`;
}
