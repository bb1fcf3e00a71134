// The skip rule for tests that need a real Mosquitto, apart from testkit/mosquitto.ts: it loads
// tap (required-tools fails the file under HALLD_REQUIRE), and the benchmarks that start a
// Mosquitto must not (tap's root would end a long benchmark at its 30 s timeout).
import { mosquittoPath } from './mosquitto.js';
import { skipWithout } from './required-tools.js';

/** Skip reason for the tests that need a real Mosquitto, or false; fails instead under HALLD_REQUIRE=mosquitto. */
export const mosquittoSkip = (): string | false => skipWithout('mosquitto', mosquittoPath() !== undefined, 'apt-get install mosquitto');
