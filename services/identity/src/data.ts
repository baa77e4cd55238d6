/** The seed users every service shares; a development token can only be minted for one of them. */
export const KNOWN_USERS: ReadonlyMap<string, string> = new Map([
  ['1', 'ada'],
  ['2', 'alan'],
  ['3', 'grace'],
  ['4', 'edsger'],
  ['5', 'barbara'],
  ['6', 'donald'],
]);
