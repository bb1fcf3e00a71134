// io.lockBoards entries with "protocol": "gpio", as a TypeBox schema fragment: a cabinet whose
// locks are relays and door switches on io.outputs / io.inputs lines (board GPIO or expander
// pins) rather than an RS485 lock-control board. Lock n is locks[n - 1].
import { Type, type Static } from '@sinclair/typebox';
import { PART_NAME_PATTERN } from '../hal/part-specs.js';
import { DEFAULT_SENSOR_OPEN_LEVEL, DEFAULT_UNLOCK_PULSE_MS } from './gpio-lock-board.js';

const LineName = Type.String({ pattern: PART_NAME_PATTERN });
export const MAX_GPIO_LOCKS = 64;

export const GpioLockBoardConfigSchema = Type.Object(
  {
    protocol: Type.Literal('gpio', { description: 'relays and door switches on digital lines (board GPIO or an io.expanders pin)' }),
    locks: Type.Array(
      Type.Object(
        {
          relay: Type.String({ ...LineName, description: 'the io.outputs line that energises the lock (active = unlocking)' }),
          sensor: Type.String({ ...LineName, description: "the io.inputs line of the lock's door switch" }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: MAX_GPIO_LOCKS, description: 'lock 1 first; lock numbers are 1..length' },
    ),
    pulseMs: Type.Optional(Type.Integer({ minimum: 20, maximum: 10_000, default: DEFAULT_UNLOCK_PULSE_MS, description: 'how long the relay stays energised for one unlock' })),
    sensorOpenLevel: Type.Optional(
      Type.Union([Type.Literal(0), Type.Literal(1)], {
        default: DEFAULT_SENSOR_OPEN_LEVEL,
        description: 'the electrical level of a door switch line while its door is open (1: switch to ground with a pull-up, closed while the door is shut); independent of the input\'s activeLow',
      }),
    ),
  },
  { additionalProperties: false },
);
export type GpioLockBoardConfig = Static<typeof GpioLockBoardConfigSchema>;
