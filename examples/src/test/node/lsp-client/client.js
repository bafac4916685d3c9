// Drives a language server with vscode-languageserver-protocol (the library VS Code's LSP client is built on).
// Usage: node client.js <server argv...>. Prints one JSON line with what it saw; exits 0 unless something threw.
'use strict';
const { spawn } = require('child_process');
const lsp = require('vscode-languageserver-protocol/node');

const URI = 'file:///work/shopping.todo';
const BAD = '# Shopping\n- [ ] milk\n- [?] eggs\n';
const GOOD = '# Shopping\n- [ ] milk\n- [x] eggs due:2026-12-01\n';

async function main() {
  const [cmd, ...args] = process.argv.slice(2);
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise(resolve => child.on('exit', code => resolve(code)));
  const conn = lsp.createProtocolConnection(
      new lsp.StreamMessageReader(child.stdout), new lsp.StreamMessageWriter(child.stdin));
  const out = { diagnostics: [], logs: [], progress: [] };
  const diagnosticWaiters = [];
  conn.onNotification(lsp.PublishDiagnosticsNotification.type, p => {
    out.diagnostics.push({ version: p.version, messages: p.diagnostics.map(d => d.message) });
    const w = diagnosticWaiters.shift();
    if (w) w();
  });
  const nextDiagnostics = n => new Promise(resolve => {
    if (out.diagnostics.length >= n) resolve(); else diagnosticWaiters.push(() => nextDiagnostics(n).then(resolve));
  });
  conn.onNotification(lsp.LogMessageNotification.type, p => out.logs.push(p.message));
  conn.onProgress(lsp.DocumentSymbolRequest.type, 'symbols-token', values => {
    out.progress.push(...values.map(s => s.name));
  });
  conn.listen();

  const init = await conn.sendRequest(lsp.InitializeRequest.type,
      { processId: process.pid, rootUri: null, capabilities: {}, clientInfo: { name: 'node-test' } });
  out.capabilities = init.capabilities;
  out.serverName = init.serverInfo && init.serverInfo.name;
  await conn.sendNotification(lsp.InitializedNotification.type, {});
  await conn.sendNotification(lsp.DidOpenTextDocumentNotification.type,
      { textDocument: { uri: URI, languageId: 'todo', version: 1, text: BAD } });
  await nextDiagnostics(1);
  await conn.sendNotification(lsp.DidChangeTextDocumentNotification.type,
      { textDocument: { uri: URI, version: 2 }, contentChanges: [{ text: GOOD }] });
  await nextDiagnostics(2);
  const hover = await conn.sendRequest(lsp.HoverRequest.type,
      { textDocument: { uri: URI }, position: { line: 2, character: 4 } });
  out.hover = hover && hover.contents.value;
  const symbols = await conn.sendRequest(lsp.DocumentSymbolRequest.type, { textDocument: { uri: URI } });
  out.symbols = symbols.map(s => ({ name: s.name, children: (s.children || []).map(c => c.name) }));
  const partial = await conn.sendRequest(lsp.DocumentSymbolRequest.type,
      { textDocument: { uri: URI }, partialResultToken: 'symbols-token' });
  out.partialResponse = partial;
  try {
    await conn.sendRequest('$/plumbTestUnknown', {});
  } catch (e) {
    out.unknownDollarRequest = e.code;
  }
  const cancel = new lsp.CancellationTokenSource();
  const slow = conn.sendRequest(lsp.DocumentSymbolRequest.type,
      { textDocument: { uri: URI }, partialResultToken: 'unused' }, cancel.token);
  cancel.cancel();
  try {
    out.cancelled = { result: await slow };
  } catch (e) {
    out.cancelled = { code: e.code };
  }
  await conn.sendRequest(lsp.ShutdownRequest.type);
  await conn.sendNotification(lsp.ExitNotification.type);
  out.exitCode = await exited;
  conn.dispose();
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().then(() => process.exit(0), e => {
  process.stderr.write('client failed: ' + (e && e.stack || e) + '\n');
  process.exit(1);
});
