// The x64 release, built by `npm run release -- --arch x64` (.ci/run builds it before the tests).
import { releaseSuite } from './release-suite.js';

releaseSuite('x64');
