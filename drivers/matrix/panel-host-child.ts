// The panel process: the only code that loads rpi-led-matrix. It runs as a child of PanelHost
// because off a Pi `new LedMatrix()` segfaults the whole process, sync() blocks its event loop
// while the panel refreshes, and dropping privileges after GPIO init must not touch the
// runtime. argv[2] is the JSON PanelChildConfig. Protocol: panel-wire.ts.
import { MessageDecoder, MSG_BRIGHTNESS, MSG_FRAME, REPLY_ACK, REPLY_READY } from './panel-wire.js';
import type { MatrixConfig } from './config.js';

export type PanelChildConfig = Pick<MatrixConfig, 'rows' | 'cols' | 'chain' | 'parallel' | 'brightness' | 'hardwareMapping' | 'gpioSlowdown' | 'pwmBits'>;

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as PanelChildConfig;
  const width = config.cols * config.chain;
  const height = config.rows * config.parallel;
  const rpi = await import('rpi-led-matrix');
  // The library's option types are literal unions; the values come from our validated schema.
  const matrixOpts = {
    ...rpi.LedMatrix.defaultMatrixOptions(),
    rows: config.rows,
    cols: config.cols,
    chainLength: config.chain,
    parallel: config.parallel,
    brightness: config.brightness,
    hardwareMapping: (config.hardwareMapping ?? 'regular') as (typeof rpi.GpioMapping)[keyof typeof rpi.GpioMapping],
    pwmBits: config.pwmBits ?? 11,
  } as ReturnType<typeof rpi.LedMatrix.defaultMatrixOptions>;
  const runtimeOpts = { ...rpi.LedMatrix.defaultRuntimeOptions(), gpioSlowdown: config.gpioSlowdown ?? 1 } as ReturnType<typeof rpi.LedMatrix.defaultRuntimeOptions>;
  const matrix = new rpi.LedMatrix(matrixOpts, runtimeOpts);
  const decoder = new MessageDecoder((type, payload) => {
    if (type === MSG_FRAME && payload.length === width * height * 3) {
      matrix.drawBuffer(payload, width, height).sync();
      process.stdout.write(Buffer.of(REPLY_ACK));
    } else if (type === MSG_BRIGHTNESS && payload.length === 1) {
      matrix.brightness(payload[0] ?? 100);
    } else {
      process.stderr.write(`panel: ignored message type ${type} of ${payload.length} bytes\n`);
    }
  });
  process.stdin.on('data', (chunk: Buffer) => decoder.push(chunk));
  process.stdin.on('end', () => {
    matrix.clear().sync();
    process.exit(0);
  });
  process.stdout.write(Buffer.of(REPLY_READY));
}

main().catch((err: unknown) => {
  process.stderr.write(`panel: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(70);
});
