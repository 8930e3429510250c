// A master's agent channel for tests of the agent's side: it registers every agent that asks
// (as S1) and records what each sent.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { AGENT_CHANNEL_PATH, type AgentToMasterMessage, type MasterInfo } from '@tepui/protocol';

/** A master's channel that registers every agent and records what it sent. */
export async function fakeMaster(id: string): Promise<{ info: MasterInfo; received: AgentToMasterMessage[]; server: Server; wss: WebSocketServer; close(): Promise<void> }> {
  const server = createServer();
  const wss = new WebSocketServer({ server, path: AGENT_CHANNEL_PATH });
  const received: AgentToMasterMessage[] = [];
  const info = (port: number): MasterInfo => ({ id, ip: 0, port, hostname: 'localhost', address: { ip: '127.0.0.1', port } });
  wss.on('connection', (ws) => ws.on('message', (data: Buffer) => {
    for (const msg of JSON.parse(data.toString()) as AgentToMasterMessage[]) {
      received.push(msg);
      if (msg.type === 'REGISTER_AGENT' || msg.type === 'REREGISTER_AGENT') {
        ws.send(JSON.stringify([{ type: msg.type === 'REGISTER_AGENT' ? 'AGENT_REGISTERED' : 'AGENT_REREGISTERED', agent_id: { value: 'S1' }, master_info: info(port), ping_interval_seconds: 15 }]));
      }
    }
  }));
  let port = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  const close = async (): Promise<void> => {
    for (const c of wss.clients) c.terminate();
    wss.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { info: info(port), received, server, wss, close };
}
