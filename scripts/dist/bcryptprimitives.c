/* A stand-in for Windows' bcryptprimitives.dll, for the Wine test run only.
 *
 * Go programs (1.22 on) take their random numbers from ProcessPrng in
 * bcryptprimitives.dll, which every Windows since 10 has. Debian 12's Wine 8.0
 * has no such DLL, so the Windows build would stop before main. The test puts
 * this file in the throwaway Wine prefix's system32; it is never shipped.
 * ProcessPrng fills the buffer from RtlGenRandom (advapi32), which Wine has.
 */
#include <windows.h>
#include <ntsecapi.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!RtlGenRandom(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
