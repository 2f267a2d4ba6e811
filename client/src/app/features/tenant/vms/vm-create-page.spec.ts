import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import type { TenantImage } from '@contracts/images';
import type { Page } from '@contracts/tenants';
import { button, checkbox, field, settle, sleep, textOf, type } from '../testing/dom';
import { FakeLiveEvents } from '../testing/fake-live-events';
import { tenantProviders } from '../testing/tenant-test-bed';
import { PREFLIGHT_DEBOUNCE_MS } from './quota-preflight';
import { VmCreatePage } from './vm-create-page';

const IMAGES: Page<TenantImage> = {
  items: [
    { id: 'img-off', name: 'windows-2022', os: 'windows', generation: 2, minDiskGiB: 60, defaultUser: null, cloudInit: false, available: false },
    { id: 'img-1', name: 'ubuntu-24.04', os: 'linux', generation: 2, minDiskGiB: 10, defaultUser: 'ubuntu', cloudInit: true, available: true },
  ],
  total: 2,
};

describe(VmCreatePage.name, () => {
  let fixture: ComponentFixture<VmCreatePage>;
  let backend: HttpTestingController;
  let element: HTMLElement;

  /** Lets the debounce pass and answers the quota check it sends. */
  const answerCheck = async (answer: object) => {
    await sleep(PREFLIGHT_DEBOUNCE_MS + 50);
    const check = backend.expectOne('/api/v1/quota/check');
    check.flush(answer);
    await settle();
    return check.request;
  };

  beforeEach(async () => {
    TestBed.configureTestingModule({ providers: tenantProviders(new FakeLiveEvents()) });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(VmCreatePage);
    element = fixture.nativeElement;
    await settle();
    backend.expectOne((request) => request.url === '/api/v1/images').flush(IMAGES);
    await settle();
  });

  afterEach(() => backend.verify());

  it('picks the first available image, offers the unavailable one disabled, and checks the default size', async () => {
    expect(textOf(field(element, 'Image'))).toBe('ubuntu-24.04');
    field(element, 'Image').click();
    await settle();
    const options = Array.from(document.querySelectorAll('mat-option'));
    expect(options.map(textOf)).toEqual(['windows-2022 (unavailable)', 'ubuntu-24.04']);
    expect(options[0].getAttribute('aria-disabled')).toBe('true');
    expect(options[1].getAttribute('aria-disabled')).toBe('false');

    const check = await answerCheck({ fits: true, violations: [] });
    expect(check.body).toEqual({ vcpu: 2, memoryMiB: 4096, storageGiB: 40, vms: 1 });
    expect(textOf(element.querySelector('app-quota-preflight'))).toContain('Fits in your quota');
  });

  it('checks each size once typing pauses, explains every violation and keeps Create disabled', async () => {
    await answerCheck({ fits: true, violations: [] });
    type(field(element, 'Name'), 'web-01');
    type(field(element, 'vCPU'), 5);
    type(field(element, 'vCPU'), 6);
    type(field(element, 'Memory (MiB)'), 8192);
    await settle();
    // Nothing before the debounce has passed, then one request for the final size.
    backend.expectNone('/api/v1/quota/check');
    const check = await answerCheck({
      fits: false,
      violations: [
        { resource: 'vcpu', limit: 4, used: 2, requested: 6 },
        { resource: 'memoryMiB', limit: 8192, used: 4096, requested: 8192 },
      ],
    });
    expect(check.body).toEqual({ vcpu: 6, memoryMiB: 8192, storageGiB: 40, vms: 1 });

    const alert = element.querySelector('app-quota-preflight [role=alert]');
    expect(textOf(alert)).toContain('vCPU: 6 requested, 2 of 4 used');
    expect(textOf(alert)).toContain('Memory: 8 GiB requested, 4 GiB of 8 GiB used');
    expect(button(element, 'Create').disabled).toBe(true);

    type(field(element, 'vCPU'), 2);
    await settle();
    await answerCheck({ fits: true, violations: [] });
    expect(element.querySelector('app-quota-preflight [role=alert]')).toBeNull();
    expect(button(element, 'Create').disabled).toBe(false);
  });

  it('moves to a preset size and never below the image disk minimum', async () => {
    await answerCheck({ fits: true, violations: [] });
    button(element, 'Large 4 vCPU · 8 GiB · 80 GiB').click();
    await settle();
    expect(field(element, 'vCPU').value).toBe('4');
    expect(field(element, 'Memory (MiB)').value).toBe('8192');
    expect(field(element, 'Disk (GiB)').value).toBe('80');
    expect((await answerCheck({ fits: true, violations: [] })).body).toEqual({ vcpu: 4, memoryMiB: 8192, storageGiB: 80, vms: 1 });

    type(field(element, 'Disk (GiB)'), 5);
    await settle();
    expect(button(element, 'Create').disabled).toBe(true);
    expect(textOf(element)).toContain('At least 10 GiB for this image.');
    // An invalid size is not sent for checking.
    await sleep(PREFLIGHT_DEBOUNCE_MS + 50);
    backend.expectNone('/api/v1/quota/check');
  });

  it('sends the VM with its cloud-init account and opens its page on 202', async () => {
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    await answerCheck({ fits: true, violations: [] });
    type(field(element, 'Name'), 'web-01');
    type(field(element, 'Hostname'), 'web-01.acme.internal');
    type(field(element, 'User name'), 'alice');
    type(field(element, 'Password'), 'correct horse');
    type(field(element, 'SSH public key'), 'ssh-ed25519 AAAAC3Nza alice@laptop\n');
    type(field(element, 'Packages'), 'nginx, htop\ncurl');
    await settle();

    button(element, 'Create').click();
    await settle();
    const create = backend.expectOne({ method: 'POST', url: '/api/v1/vms' });
    expect(create.request.body).toEqual({
      name: 'web-01',
      imageId: 'img-1',
      vcpu: 2,
      memoryMiB: 4096,
      diskGiB: 40,
      start: true,
      cloudInit: {
        hostname: 'web-01.acme.internal',
        users: [{ name: 'alice', password: 'correct horse', sshAuthorizedKeys: ['ssh-ed25519 AAAAC3Nza alice@laptop'] }],
        packages: ['nginx', 'htop', 'curl'],
      },
    });
    create.flush({ vm: { id: 'vm-9', name: 'web-01' }, task: { id: 'task-1' } }, { status: 202, statusText: 'Accepted' });
    await settle();
    expect(navigate).toHaveBeenCalledWith(['/vms', 'vm-9']);
  });

  it("shows the server's refusal, such as QUOTA_EXCEEDED, and stays on the form", async () => {
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate');
    await answerCheck({ fits: true, violations: [] });
    type(field(element, 'Name'), 'web-02');
    checkbox(element, 'Start after creation').click();
    await settle();
    button(element, 'Create').click();
    await settle();
    const create = backend.expectOne({ method: 'POST', url: '/api/v1/vms' });
    expect(create.request.body).toMatchObject({ name: 'web-02', start: false });
    expect(create.request.body.cloudInit).toBeUndefined();
    create.flush(
      { statusCode: 422, code: 'QUOTA_EXCEEDED', message: 'vCPU limit 4 reached: 4 used, 2 requested', correlationId: 'c1' },
      { status: 422, statusText: 'Unprocessable Entity' },
    );
    await settle();
    const alerts = Array.from(element.querySelectorAll('[role=alert]')).map(textOf);
    expect(alerts).toContain('vCPU limit 4 reached: 4 used, 2 requested');
    expect(navigate).not.toHaveBeenCalled();
  });
});
