/** Text or attribute content escaped for XML; characters XML 1.0 cannot carry are refused. */
export function xmlText(value: string): string {
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(value))
    throw new Error(`a control character cannot be part of a service definition: ${JSON.stringify(value)}`);
  return value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&apos;');
}
