/** Plain HTTP access to an emulated tenant, for changing it behind idm's back the way a person in the admin UI would. */
export interface TenantClient {
  call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
}

export async function tenantClient(url: string, clientId: string, clientSecret: string): Promise<TenantClient> {
  const tokenResponse = await fetch(`${url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, audience: `${url}/api` }),
  });
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
  return {
    async call(method, path, body) {
      const response = await fetch(`${url}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, json: text ? JSON.parse(text) : undefined };
    },
  };
}

/** Every item of a paged list endpoint. */
export async function listAll(client: TenantClient, path: string, field: string): Promise<any[]> {
  const items: any[] = [];
  let token: string | undefined;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const { json } = await client.call('GET', `${path}${sep}page_size=500${token ? `&next_token=${encodeURIComponent(token)}` : ''}`);
    items.push(...json[field]);
    token = json.next_token || undefined;
  } while (token);
  return items;
}
