/**
 * The regular plugin beside the mime extension: it loads the settings the
 * renderer needs and keeps them current, and hands over the application's
 * connection to the Jupyter server.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { updateSettings } from './config';
import { setServerSettings } from './jupyterServer';

const PLUGIN_ID = 'jupyterlab-mlflow-traces:plugin';

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'Settings of the MLflow trace renderer.',
  autoStart: true,
  optional: [ISettingRegistry],
  activate: (app: JupyterFrontEnd, registry: ISettingRegistry | null) => {
    // The renderer's requests through the Jupyter server use the app's own connection.
    setServerSettings(app.serviceManager.serverSettings);
    if (!registry) {
      updateSettings({});
      return;
    }
    registry
      .load(PLUGIN_ID)
      .then(settings => {
        const apply = () =>
          updateSettings({
            trackingUri: String(settings.get('trackingUri').composite ?? ''),
            connection:
              settings.get('connection').composite === 'direct'
                ? 'direct'
                : 'jupyter-server',
            trackingToken: String(
              settings.get('trackingToken').composite ?? ''
            ),
            trackingUsername: String(
              settings.get('trackingUsername').composite ?? ''
            ),
            trackingPassword: String(
              settings.get('trackingPassword').composite ?? ''
            ),
            requestTimeoutSeconds: Number(
              settings.get('requestTimeoutSeconds').composite
            )
          });
        apply();
        settings.changed.connect(apply);
      })
      .catch(reason => {
        console.error(
          `jupyterlab-mlflow-traces: could not load settings: ${reason}`
        );
        updateSettings({});
      });
  }
};

export default plugin;
