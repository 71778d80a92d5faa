/** The zengin-code package ships its list as plain CommonJS data without types. */
declare module "zengin-code" {
  type ZenginEntry = { code: string; name: string; kana: string; hira: string; roma: string };
  const banks: Record<string, ZenginEntry & { branches: Record<string, ZenginEntry> }>;
  export default banks;
}
