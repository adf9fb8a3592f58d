// `npm run dev`: TypeScript's watch mode rebuilds on every change, and after each build without errors
// the service restarts (the old one stopped first: it holds the embedded store's lock). Its log lines
// are pretty-printed on a terminal (pino-pretty, a devDependency) and pass unchanged otherwise.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { createInterface } from "node:readline";
import { prettyFactory } from "pino-pretty";
import ts from "typescript";

interface DevOptions {
  /** The tsconfig to build with; its outDir holds src/main.js. */
  project: string;
  pretty: boolean;
  /** Where the service's log lines go. */
  log: NodeJS.WritableStream;
  /** Where the compiler's messages go (not the log: `npm run dev > log.jsonl` stays JSON). */
  messages: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
}

export interface Dev {
  /** Stops watching, then stops the service. */
  stop(): Promise<void>;
}

export function startDev(options: DevOptions): Dev {
  const format = options.pretty ? prettyFactory({ colorize: true, translateTime: "SYS:HH:MM:ss.l" }) : (line: string) => `${line}\n`;
  let service: ChildProcess | undefined;
  // restarts run one after another, however fast builds follow each other
  let restarts = Promise.resolve();

  const stopService = async () => {
    if (!service || service.exitCode !== null || service.signalCode !== null) return;
    const exited = once(service, "exit");
    // SIGTERM: the service drains its requests and closes its store
    service.kill("SIGTERM");
    await exited;
  };
  const startService = (main: string) => {
    // its own process group: a terminal's Ctrl+C reaches this script, which stops the service once
    service = spawn(process.execPath, [main], { env: options.env ?? process.env, stdio: ["ignore", "pipe", "inherit"], detached: true });
    createInterface({ input: service.stdout! }).on("line", (line) => options.log.write(format(line)));
  };

  const host = ts.createWatchCompilerHost(
    options.project,
    {},
    ts.sys,
    ts.createEmitAndSemanticDiagnosticsBuilderProgram,
    (diagnostic) => options.messages.write(ts.formatDiagnostic(diagnostic, formatHost)),
    (status, _newLine, compilerOptions, errorCount) => {
      options.messages.write(`[dev] ${ts.flattenDiagnosticMessageText(status.messageText, "\n")}\n`);
      if (errorCount !== 0) return; // undefined: a compilation starts; above 0: keep the running service
      const main = path.join(compilerOptions.outDir ?? ".", "src/main.js");
      restarts = restarts.then(async () => {
        await stopService();
        startService(main);
      });
    },
  );
  const watch = ts.createWatchProgram(host);
  return {
    async stop() {
      watch.close();
      await restarts;
      await stopService();
    },
  };
}

const formatHost: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (fileName) => fileName,
  getCurrentDirectory: () => ts.sys.getCurrentDirectory(),
  getNewLine: () => ts.sys.newLine,
};

if (require.main === module) {
  const dev = startDev({
    project: path.resolve("tsconfig.build.json"),
    pretty: process.stdout.isTTY === true,
    log: process.stdout,
    messages: process.stderr,
  });
  const exit = () => void dev.stop().then(() => process.exit(0));
  process.once("SIGINT", exit);
  process.once("SIGTERM", exit);
}
