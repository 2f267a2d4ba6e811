import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatDialogRef } from '@angular/material/dialog';
import type { CreatedHost } from '@contracts/hosts';
import { button, control, settle, setUpAdminTest, text, type } from '../testing/admin-testing';
import { NewHostDialog } from './new-host-dialog';

const COMMAND = 'node openhvx-agent.js --server https://cloud.example --enroll-token ohxe_abc123 --driver hyperv';
const CREATED: CreatedHost = {
  id: '65f0000000000000000000a1',
  name: 'hv-01',
  status: 'pending',
  maintenance: false,
  lastHeartbeatAt: null,
  agentVersion: null,
  driver: null,
  facts: null,
  capacity: null,
  vmCount: 0,
  createdAt: '2026-03-01T10:00:00.000Z',
  enrollment: { token: 'ohxe_abc123', expiresAt: '2026-03-01T11:00:00.000Z', command: COMMAND },
};

describe(NewHostDialog.name, () => {
  let backend: HttpTestingController;
  let fixture: ComponentFixture<NewHostDialog>;
  let element: HTMLElement;

  beforeEach(async () => {
    backend = setUpAdminTest([{ provide: MatDialogRef, useValue: { close: vi.fn() } }]);
    fixture = TestBed.createComponent(NewHostDialog);
    element = fixture.nativeElement;
    await settle(fixture);
  });

  afterEach(() => backend.verify());

  it('creates the host, then shows the enrollment command, its expiry, and copies it', async () => {
    type(control('Name', element), ' hv-01 ');
    button('Create', element).click();
    await settle(fixture);

    const create = backend.expectOne('/api/v1/admin/hosts');
    expect(create.request.method).toBe('POST');
    expect(create.request.body).toEqual({ name: 'hv-01' });
    create.flush(CREATED);
    await settle(fixture);

    expect(text(element)).toContain('Enroll hv-01');
    const command = control<HTMLTextAreaElement>('Enrollment command', element);
    expect(command.value).toBe(COMMAND);
    expect(command.readOnly).toBe(true);
    expect(text(element)).toMatch(/Token expires .*2026/);

    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    button('Copy command', element).click();
    await settle(fixture);
    expect(writeText).toHaveBeenCalledWith(COMMAND);
    expect(text(document.body)).toContain('Copied');
  });

  it("shows the server's message when the name is taken", async () => {
    type(control('Name', element), 'hv-01');
    button('Create', element).click();
    await settle(fixture);
    backend
      .expectOne('/api/v1/admin/hosts')
      .flush({ statusCode: 409, code: 'CONFLICT', message: "A host named 'hv-01' already exists", correlationId: 'c1' }, { status: 409, statusText: 'Conflict' });
    await settle(fixture);

    expect(text(element.querySelector('[role=alert]')!)).toContain("A host named 'hv-01' already exists");
    expect(element.querySelector('textarea')).toBeNull();
  });

  it('does not send a name the server would refuse', async () => {
    type(control('Name', element), 'bad name!');
    button('Create', element).click();
    await settle(fixture);
    backend.expectNone('/api/v1/admin/hosts');
    expect(text(element)).toContain('1–63 letters, digits, dots, dashes or underscores');
  });
});
