// The arm64 release, built by `npm run release -- --arch arm64` (.ci/run builds it before the tests).
import { releaseSuite } from './release-suite.js';

releaseSuite('arm64');
