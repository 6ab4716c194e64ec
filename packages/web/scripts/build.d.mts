/** Text files of a build folder get a .br and a .gz beside them (served by the server when accepted). */
export declare const precompress: (dir: string) => void;
/** Whether packages/web/dist is newer than every source of the web app. */
export declare const isWebBuildFresh: () => boolean;
