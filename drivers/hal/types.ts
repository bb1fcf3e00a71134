// The hardware abstraction layer: what a role may see. Roles depend on these interfaces only
// (this file is the one import they use); the board definition plus the device config decide
// which implementation is wired in (assembly/), a real driver over onoff / gpiod /
// johnny-five / i2c-bus / serialport, or a simulator. Each interface states in its doc
// comment the behaviour every implementation must follow.
export { HalError, type HalErrorCode } from './hal-error.js';
export type { Clock } from './clock.js';
export type { Timers } from '../clock/timers.js';
export type { DigitalInput, DigitalOutput } from './digital-io.js';
export type { SerialLink } from './serial-link.js';
export type { I2cDevice } from './i2c-device.js';
export type { Speaker } from './speaker.js';
export { encodePcmWav, parsePcmWav, WavFormatError, wavDurationMs, type PcmFormat, type PcmWav } from './wav-format.js';
export { integratedLoudness, LOUDNESS_TARGET_LUFS, normaliseLoudness, PEAK_CEILING_DBFS, truePeakDbfs } from './loudness.js';
export type { Scanner } from './scanner.js';
export { PrinterNotReadyError, TemplateError, type PrinterFault, type PrinterStatus, type TicketDocument, type TicketFields, type TicketPrinter } from './ticket-printer.js';
export { TicketTemplateSchema, validateTemplate, type TicketTemplate, type TicketBlock, type TextAlign } from './ticket-template.js';
export type { Hal, HalParts, SelfTestResult } from './hal.js';
export type { LedMatrix, LedMatrixHealth, LedMatrixState, RgbFrame } from './led-matrix.js';
export type { IdCardEvent, IdCardReader, IdCardReaderFaultCode, IdCardReaderHealth, IdCardReaderResult, SamStatus } from './id-card-reader.js';
export { IdCard, LONG_TERM, idNumberWellFormed, type IdCardFields, type IdCardSex } from './id-card.js';
export type { LockBoard, LockBoardFailure, LockBoardFaultCode, LockBoardHealth, LockBoardProtocol, LockBoardResult, SerialLockBoardProtocol, LockState, UnlockAck } from './lock-board.js';
export { MONO_LINE_HEIGHT_PX, type MonoDisplay, type MonoFrame, type MonoTextLine } from './mono-display.js';
export type { CallEntry, HallPanelState, NoticePanelState, NoticeState, PanelLang, PanelPainter, PanelState, WindowPanelState } from './panel-layout.js';
