// The device config's `io` section: the named parts of this board (buttons, outputs, serial
// ports, I2C devices, speaker). Its schema belongs to the HAL (assembly/io-schema.ts);
// re-exported here so the config does not reach into driver internals.
export { IoConfigSchema } from '../../assembly/config.js';
