/// <reference types="google-apps-script" />
// GraphQL operations and other text assets are imported as strings (Vite's `?raw`; build.mjs does the same).
declare module '*?raw' {
  const text: string;
  export default text;
}
