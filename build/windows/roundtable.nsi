; Roundtable's Windows installer, built on Linux with Debian's makensis by
; scripts/dist/dist.sh, which passes:
;   -DVERSION=0.2.0+3.gabc1234  -DWINVERSION=0.2.0.3  -DEXE=path\roundtable.exe
;   -DWEBVIEW2=path\MicrosoftEdgeWebview2Setup.exe  -DOUTFILE=path\installer.exe
; It installs for the current user (no administrator needed) into
; %LocalAppData%\Programs\Roundtable, adds Start-menu entries for the app and its
; uninstaller, and registers the uninstaller under Apps & features. The coach's
; workspace (%AppData%\Roundtable) is never touched by installing or removing.
;
; Silent use: installer.exe /S [/SKIPWEBVIEW2]; uninstall.exe /S.
; /SKIPWEBVIEW2 leaves the WebView2 runtime alone (the test run under Wine, or
; machines where an administrator deploys it).

; A 64-bit installer: the program is 64-bit only, and Wine runs it without 32-bit support.
Target amd64-unicode
SetCompressor /SOLID lzma
RequestExecutionLevel user
ManifestDPIAware true

!define APPNAME "Roundtable"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Roundtable"
; The WebView2 runtime's id in EdgeUpdate: present when it is installed.
!define WEBVIEW2_ID "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "x64.nsh"

Name "${APPNAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APPNAME}"
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
BrandingText "${APPNAME} ${VERSION}"

VIProductVersion "${WINVERSION}"
VIFileVersion "${WINVERSION}"
VIAddVersionKey "ProductName" "${APPNAME}"
VIAddVersionKey "CompanyName" "${APPNAME}"
VIAddVersionKey "FileDescription" "${APPNAME} installer"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "Roundtable"

!define MUI_ICON "icon.ico"
!define MUI_UNICON "icon.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\roundtable.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Open Roundtable"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "Roundtable needs 64-bit Windows 10 or later."
    Abort
  ${EndIf}
  SetRegView 64
FunctionEnd

Section "Roundtable" SecApp
  SectionIn RO
  SetOutPath "$INSTDIR"
  File "/oname=roundtable.exe" "${EXE}"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  ; Start menu: the app and its uninstaller, in their own folder.
  CreateDirectory "$SMPROGRAMS\${APPNAME}"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk" "$INSTDIR\roundtable.exe"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\Uninstall ${APPNAME}.lnk" "$INSTDIR\uninstall.exe"

  ; Apps & features.
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${APPNAME}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\roundtable.exe"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" "$0"
SectionEnd

; The window draws with Microsoft's WebView2 runtime, which Windows 11 and
; current Windows 10 have; otherwise run Microsoft's small bootstrapper.
Section "WebView2" SecWebView2
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/SKIPWEBVIEW2" $1
  ${IfNot} ${Errors}
    DetailPrint "WebView2: left alone (/SKIPWEBVIEW2)"
    Return
  ${EndIf}
  ReadRegStr $1 HKLM "SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_ID}" "pv"
  ReadRegStr $2 HKCU "Software\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_ID}" "pv"
  ${If} $1 == ""
  ${AndIf} $2 == ""
    DetailPrint "Installing the WebView2 runtime"
    SetOutPath "$PLUGINSDIR"
    File "/oname=MicrosoftEdgeWebview2Setup.exe" "${WEBVIEW2}"
    ExecWait '"$PLUGINSDIR\MicrosoftEdgeWebview2Setup.exe" /silent /install'
    SetOutPath "$INSTDIR"
  ${EndIf}
SectionEnd

Section "Uninstall"
  SetRegView 64
  Delete "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk"
  Delete "$SMPROGRAMS\${APPNAME}\Uninstall ${APPNAME}.lnk"
  RMDir "$SMPROGRAMS\${APPNAME}"
  Delete "$INSTDIR\roundtable.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  ; WebView2's cache for this program (not the coach's workspace).
  RMDir /r "$APPDATA\roundtable.exe"
  DeleteRegKey HKCU "${UNINST_KEY}"
SectionEnd
