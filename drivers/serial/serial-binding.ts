// Which serialport binding a port runs on: the OS one (bindings-cpp, the default) or one
// shaped like @serialport/binding-mock's MockBinding (tests and the simulators' virtual
// ports). Taken from serialport's own exports so no transitive package is imported.
import type { SerialPort, SerialPortMock } from 'serialport';

export type SerialBinding = typeof SerialPort.binding | typeof SerialPortMock.binding;
