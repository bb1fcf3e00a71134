// io.idCardReaders entries, as a TypeBox schema fragment (assembly/io-schema.ts puts it in the
// io schema): one entry per reader, keyed by the name roles use ("desk"), each on its own
// io.serial part: `"io": {"serial": {"idr": {"path": "/dev/ttyUSB1", "baudRate": 115200}},
// "idCardReaders": {"desk": {"serial": "idr"}}}`.
import { Type, type Static } from '@sinclair/typebox';

/** GA 467 modules ship at 115200 8N1; a serial part that carries a reader and sets no baudRate runs at this. */
export const ID_CARD_READER_BAUD_RATE = 115_200;
/** A find-card this often: a card placed is read within this plus the read itself (about half a second on the modules measured by vendors). */
export const DEFAULT_POLL_MS = 250;
/** Reading a card (the SAM authenticates it first) takes the longest; the other commands answer in milliseconds. */
export const DEFAULT_REPLY_TIMEOUT_MS = 3000;
/** A card found and not read is tried this many times before the citizen is told to place it again. */
export const DEFAULT_READ_ATTEMPTS = 3;

export const IdCardReaderConfigSchema = Type.Object(
  {
    serial: Type.String({ minLength: 1, description: 'the io.serial part the reader is on (RS-232 or USB-serial, 115200 8N1 unless the part says otherwise); no other part may use it' }),
    pollMs: Type.Optional(Type.Integer({ minimum: 50, maximum: 5000, default: DEFAULT_POLL_MS, description: 'look for a card this often' })),
    replyTimeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 10_000, default: DEFAULT_REPLY_TIMEOUT_MS, description: 'how long to wait for each reply (reading a card takes the longest)' })),
    readAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, default: DEFAULT_READ_ATTEMPTS, description: 'tries to read a card found on the reader before it is reported unreadable' })),
  },
  { additionalProperties: false, description: 'a second-generation ID-card reader (GA 467 SAM module) on a serial part' },
);
export type IdCardReaderConfig = Static<typeof IdCardReaderConfigSchema>;
