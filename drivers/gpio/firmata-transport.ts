// firmata-io over a serialport 13 port ("With A Transport Instance", firmata-io readme).
// johnny-five and firmata pull in serialport 8 with its own native build; we never load it:
// firmata-io is given an open SerialPort from the serialport version the rest of halld uses,
// with an optional binding so the same path runs on a virtual port in tests.
import type { SerialBinding } from '../hal/bus-handles.js';
import { HalError } from '../hal/types.js';
import type { FirmataIo, FirmataIoFactory } from './firmata-backend.js';

type FirmataCtor = new (transport: unknown, options?: { reportVersionTimeout?: number }) => FirmataIo;

/** Builds the factory the firmata backend uses on a real board (or on a virtual binding). */
export function firmataOverSerialport(options: { binding?: SerialBinding } = {}): FirmataIoFactory {
  return async ({ path, baudRate }) => {
    const specifier = 'firmata-io'; // no type declarations; narrowed to FirmataCtor below
    let Firmata: FirmataCtor;
    try {
      const mod = (await import(specifier)) as { Firmata?: FirmataCtor; default?: { Firmata?: FirmataCtor } };
      const ctor = mod.Firmata ?? mod.default?.Firmata;
      if (!ctor) throw new Error('no Firmata export');
      Firmata = ctor;
    } catch (err) {
      throw new HalError('UNAVAILABLE', `firmata-io is not installed or failed to load: ${(err as Error).message}`, { cause: err });
    }
    const { SerialPort } = await import('serialport');
    // serialport's SerialPort spreads caller options over its default binding, so `binding`
    // selects a virtual port; its typing omits the key, hence the widened options object.
    const portOptions: ConstructorParameters<typeof SerialPort>[0] = { path, baudRate, ...(options.binding ? { binding: options.binding } : {}) };
    const transport = new SerialPort(portOptions);
    return new Firmata(transport);
  };
}
