/** The tool version stated in every result and report. A test keeps it equal to package.json. */
export const TOOL_VERSION = '0.1.0';
