/**
 * POST JSON to the test server. Logging a trace info is an upsert, so it is
 * safe to send again when Node's fetch reused a keep-alive socket the server
 * had just closed ("other side closed").
 */
export async function postJson(url: string, body: unknown): Promise<Response> {
  const send = () =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body)
    });
  try {
    return await send();
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET') {
      return send();
    }
    throw error;
  }
}
