// The backends the simulators provide, as descriptors the assembly layer registers
// (assembly/registry.ts): the whole "sim" board (GPIO, serial ports, I2C, speaker, virtual
// printers and scanners) and the simulated speaker a real board may use (io.speaker.kind
// "sim"). Each open() imports its simulator when called.
import type { GpioBackendDescriptor, SpeakerBackendDescriptor } from '../drivers/hal/backend.js';

export const simulatorGpioBackends: ReadonlyArray<GpioBackendDescriptor> = [
  {
    kind: 'sim',
    async open(request) {
      const { openSimBoard } = await import('./hal/sim-hal.js');
      return openSimBoard(request);
    },
  },
];

export const simulatorSpeakerBackends: ReadonlyArray<SpeakerBackendDescriptor> = [
  {
    kind: 'sim',
    async open({ clock }) {
      const { SimSpeaker } = await import('./speaker/sim-speaker.js');
      return new SimSpeaker(clock);
    },
  },
];
