import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { CreateApiTokenRequest, CreatedApiToken } from '@contracts/auth';
import { firstValueFrom } from 'rxjs';

/** The signed-in user's API tokens; the list itself is an httpResource on the page. */
@Injectable({ providedIn: 'root' })
export class ApiTokenApi {
  private readonly http = inject(HttpClient);

  create(request: CreateApiTokenRequest): Promise<CreatedApiToken> {
    return firstValueFrom(this.http.post<CreatedApiToken>('/api/v1/api-tokens', request));
  }

  revoke(id: string): Promise<void> {
    return firstValueFrom(this.http.delete<void>(`/api/v1/api-tokens/${id}`));
  }
}
