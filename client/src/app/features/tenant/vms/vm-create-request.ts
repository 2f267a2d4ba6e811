import type { CloudInitInput, CloudInitUser } from '@contracts/cloud-init';
import type { CreateVmRequest } from '@contracts/vms';

/** What the create form holds, as the user typed it. */
export interface VmCreateFormValue {
  imageId: string;
  name: string;
  vcpu: number;
  memoryMiB: number;
  diskGiB: number;
  hostname: string;
  userName: string;
  password: string;
  sshKey: string;
  sudo: boolean;
  packages: string;
  start: boolean;
}

/** Comma- or newline-separated words, without blanks. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter(Boolean);
}

/** The request body for `POST /api/v1/vms`; guest settings only when the image runs cloud-init and some are filled in. */
export function buildCreateVmRequest(value: VmCreateFormValue, imageRunsCloudInit: boolean): CreateVmRequest {
  const request: CreateVmRequest = {
    name: value.name.trim(),
    imageId: value.imageId,
    vcpu: value.vcpu,
    memoryMiB: value.memoryMiB,
    diskGiB: value.diskGiB,
    start: value.start,
  };
  const cloudInit = imageRunsCloudInit ? buildCloudInit(value) : null;
  if (cloudInit) request.cloudInit = cloudInit;
  return request;
}

function buildCloudInit(value: VmCreateFormValue): CloudInitInput | null {
  const cloudInit: CloudInitInput = {};
  if (value.hostname.trim()) cloudInit.hostname = value.hostname.trim();
  const userName = value.userName.trim();
  if (userName) {
    const user: CloudInitUser = { name: userName };
    if (value.password) user.password = value.password;
    // One key per line, as in authorized_keys.
    const keys = value.sshKey
      .split('\n')
      .map((key) => key.trim())
      .filter(Boolean);
    if (keys.length) user.sshAuthorizedKeys = keys;
    if (value.sudo) user.sudo = true;
    cloudInit.users = [user];
  }
  const packages = splitList(value.packages);
  if (packages.length) cloudInit.packages = packages;
  return Object.keys(cloudInit).length ? cloudInit : null;
}
