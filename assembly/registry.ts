// Which backends a Hal can be assembled from: the drivers' and the simulators', each
// described by its own folder (drivers/backends.ts, simulators/backends.ts). A board or
// config names a backend by kind; the registry finds its descriptor. Tests and unusual
// installs pass their own registry to createHal.
import type { GpioBackendDescriptor, SpeakerBackendDescriptor } from '../drivers/hal/backend.js';
import { driverGpioBackends, driverSpeakerBackends, type DriverDeps } from '../drivers/backends.js';
import { simulatorGpioBackends, simulatorSpeakerBackends } from '../simulators/backends.js';

export interface BackendRegistry {
  gpio: ReadonlyArray<GpioBackendDescriptor<DriverDeps>>;
  speakers: ReadonlyArray<SpeakerBackendDescriptor<DriverDeps>>;
}

export const defaultRegistry: BackendRegistry = {
  gpio: [...driverGpioBackends, ...simulatorGpioBackends],
  speakers: [...driverSpeakerBackends, ...simulatorSpeakerBackends],
};
