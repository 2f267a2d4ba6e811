import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import type { TenantRole } from '@contracts/auth';
import { CONSOLE_CLOSE_CODES } from '@contracts/console';
import { button, settle, textOf } from '../testing/dom';
import { consoleFakes } from '../testing/fake-console';
import { FakeLiveEvents } from '../testing/fake-live-events';
import { tenantProviders } from '../testing/tenant-test-bed';
import { CONSOLE_SOCKET, CONSOLE_TERMINAL } from './console-terminal';
import { VmConsole } from './vm-console';

const VM = { id: 'vm-1', name: 'web-01' };

describe(VmConsole.name, () => {
  let fixture: ComponentFixture<VmConsole>;
  let backend: HttpTestingController;
  let fakes: ReturnType<typeof consoleFakes>;

  const status = () => textOf((fixture.nativeElement as HTMLElement).querySelector('[role=status]'));
  const socket = () => fakes.sockets.at(-1)!;
  const terminal = () => fakes.terminals.at(-1)!;

  /** Creates the console, answers its ticket request and opens the socket. */
  async function start(role: TenantRole = 'member') {
    fakes = consoleFakes();
    TestBed.configureTestingModule({
      providers: [...tenantProviders(new FakeLiveEvents(), role), { provide: CONSOLE_SOCKET, useValue: fakes.openSocket }, { provide: CONSOLE_TERMINAL, useValue: fakes.createTerminal }],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(VmConsole);
    fixture.componentRef.setInput('vmId', VM.id);
    await settle();
    expect(status()).toBe('Connecting…');
    backend.expectOne({ method: 'POST', url: '/api/v1/vms/vm-1/console' }).flush({ ticket: 't-1', url: '/ws/console?ticket=t-1', expiresAt: '2030-01-01T00:00:00Z' });
    await settle();
    socket().open();
  }

  afterEach(() => backend.verify());

  it('opens the ticket URL as a binary WebSocket and relays serial bytes both ways', async () => {
    await start();
    expect(socket().url).toBe(`ws://${location.host}/ws/console?ticket=t-1`);
    expect(socket().binaryType).toBe('arraybuffer');
    expect(terminal().opened).toBe(true);

    socket().say({ type: 'status', state: 'connecting', readOnly: false, vm: VM });
    await settle();
    expect(status()).toBe("Connecting to the VM's serial port…");
    socket().say({ type: 'status', state: 'open', readOnly: false, vm: VM });
    await settle();
    expect(status()).toBe('Connected to web-01');

    socket().output('login: ');
    expect(terminal().written).toEqual(['login: ']);
    terminal().type('root\r');
    expect(socket().sent).toHaveLength(1);
    // Binary frames: text frames would be taken for control messages.
    const frame = socket().sent[0] as Uint8Array;
    expect(typeof frame).not.toBe('string');
    expect(ArrayBuffer.isView(frame)).toBe(true);
    expect(new TextDecoder().decode(frame)).toBe('root\r');
  });

  it('says when the session is read-only and sends nothing typed', async () => {
    await start('viewer');
    expect(terminal().readOnly).toBe(true);
    socket().say({ type: 'status', state: 'open', readOnly: true, vm: VM });
    await settle();
    expect(status()).toBe('Connected to web-01 · read-only: you can watch but not type');
    terminal().type('ls\r');
    expect(socket().sent).toEqual([]);
  });

  it('explains a takeover in words and reconnects with a new ticket', async () => {
    await start();
    socket().say({ type: 'status', state: 'open', readOnly: false, vm: VM });
    socket().say({ type: 'closed', reason: 'taken-over', message: '' });
    socket().drop(CONSOLE_CLOSE_CODES['taken-over'], 'taken-over');
    await settle();
    expect(status()).toBe('Disconnected: Another session took over this console');
    terminal().type('x');
    expect(socket().sent).toEqual([]);

    button(fixture.nativeElement, 'Reconnect').click();
    await settle();
    backend.expectOne('/api/v1/vms/vm-1/console').flush({ ticket: 't-2', url: '/ws/console?ticket=t-2', expiresAt: '2030-01-01T00:00:00Z' });
    await settle();
    expect(fakes.sockets.map((made) => made.url.split('=')[1])).toEqual(['t-1', 't-2']);
    socket().say({ type: 'status', state: 'open', readOnly: false, vm: VM });
    await settle();
    expect(status()).toBe('Connected to web-01');
  });

  it('tells a close without a message apart by its code, and a lost connection', async () => {
    await start();
    socket().drop(CONSOLE_CLOSE_CODES['host-offline']);
    await settle();
    expect(status()).toBe("Disconnected: The VM's host is offline");

    button(fixture.nativeElement, 'Reconnect').click();
    await settle();
    backend.expectOne('/api/v1/vms/vm-1/console').flush({ ticket: 't-2', url: '/ws/console?ticket=t-2', expiresAt: '2030-01-01T00:00:00Z' });
    await settle();
    socket().drop(1006);
    await settle();
    expect(status()).toBe('Disconnected: The connection was lost');
  });

  it("shows the server's reason when no ticket is given", async () => {
    fakes = consoleFakes();
    TestBed.configureTestingModule({
      providers: [...tenantProviders(new FakeLiveEvents()), { provide: CONSOLE_SOCKET, useValue: fakes.openSocket }, { provide: CONSOLE_TERMINAL, useValue: fakes.createTerminal }],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(VmConsole);
    fixture.componentRef.setInput('vmId', VM.id);
    await settle();
    backend
      .expectOne('/api/v1/vms/vm-1/console')
      .flush({ statusCode: 409, code: 'INVALID_STATE', message: "VM 'web-01' is off", correlationId: 'c' }, { status: 409, statusText: 'Conflict' });
    await settle();
    expect(status()).toBe('Disconnected: The console could not be opened');
    expect(textOf(fixture.nativeElement)).toContain("VM 'web-01' is off");
    expect(fakes.sockets).toEqual([]);
  });

  it('closes the socket and disposes of the terminal when it goes away', async () => {
    await start();
    fixture.destroy();
    expect(socket().closedWith).toBe(1000);
    expect(terminal().disposed).toBe(true);
  });
});
