import { Injectable } from '@nestjs/common';

/** The global fetch behind an injectable, so services never call it directly. */
@Injectable()
export class HttpClient {
  fetch(url: string, init: RequestInit): Promise<Response> {
    return fetch(url, init);
  }
}
